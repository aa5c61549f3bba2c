"""The migration assessment: what is there, how it is used, and which way each document goes to
Qlik Cloud. Computed here (no Qt); the window and the command line only present it."""

from qvupload.assessment.build import Assessment, DocumentAssessment, build_assessment

__all__ = ["Assessment", "DocumentAssessment", "build_assessment"]
