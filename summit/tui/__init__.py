"""The Textual front end: `summit play` and `summit serve`. Only this package imports Textual."""
