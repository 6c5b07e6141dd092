"""The file adapter: matching from an HR export (CSV or JSON) to a JSON file."""
