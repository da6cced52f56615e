"""The safety note's words, as plain text: the dashboard's safety screen and the physio
report both show these, so they cannot drift apart. No Textual, no markup."""

from __future__ import annotations

NOT_MEDICAL_ADVICE = (
    "upright is not medical advice and does not diagnose anything. It helps you keep "
    "up the habits and exercises you and your clinician chose."
)
STOP_IF_WORSE = (
    "Stop an exercise that makes your back pain, or pain, tingling or numbness in "
    "a leg, worse, and ask a physiotherapist or doctor."
)
# The dashboard adds its keys to this one; the report has no keys.
FLARE_DAYS = "Flare days happen: mark exercises skipped (s, or S for all) and rest gently."
RED_FLAGS_HEADING = "See a doctor at once (urgent care / emergency) if you have:"
RED_FLAGS = (
    'numbness around the genitals or bottom (the "saddle" area)',
    "new trouble passing urine, or loss of bladder or bowel control",
    "weakness or numbness in both legs, or leg weakness that is getting worse",
    "back pain after a fall, accident or other injury",
    "fever together with back pain, or you feel unwell with it",
)
