"""Programs as data: a YAML file, validated at load time with clear errors.

``spec`` is the program as a coordinator wrote it, ``success_criteria`` what it
means to succeed, ``required_questions`` the questions matching relies on,
``loading`` reads YAML text or a file into a spec and ``problems`` says what is
wrong with one, and where.
"""
