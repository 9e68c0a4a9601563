"""The personal-data guard: keep patient-identifiable data out of QI records.

    from openqi.privacy import find_personal_data, is_valid_nhs_number   # pure Python, no Django
    from openqi.privacy.forms import PersonalDataGuardMixin              # the form-layer guard
    from openqi.privacy.display import MARKDOWN, displayed_text          # the one Markdown renderer

Text is judged as a reader sees it: as typed and as displayed (Markdown rendered, references decoded,
Unicode normalised). Importing this package (and `openqi.privacy.detect`, `openqi.privacy.display`) must
not import Django, so that importers and reports can run the same rules; only `openqi.privacy.forms`
needs Django.
"""

from openqi.privacy.detect import (
    Finding,
    Kind,
    Severity,
    find_personal_data,
    find_personal_data_in_filename,
    is_valid_nhs_number,
)

__all__ = [
    "Finding",
    "Kind",
    "Severity",
    "find_personal_data",
    "find_personal_data_in_filename",
    "is_valid_nhs_number",
]
