"""The Tandem application: settings, the composition root, the CLI, the demo."""
