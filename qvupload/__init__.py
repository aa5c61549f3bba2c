"""qvupload: bring local QlikView documents into Qlik Cloud."""

__version__ = "0.1.0"
