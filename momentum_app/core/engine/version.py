"""The rules' version, apart from the rules (the command line's light path reads it
without loading the engine)."""

#: The version of these rules. A file whose derived tables were written by an older one
#: is folded again when it is opened (``services/doctor.bring_rules_up_to_date``).
#: 2: SPEC v2 — the weekly streak's last activity day, days bridged by settings changes.
#: 3: SPEC v2 — streak freezes (§4), perfect weeks that skip excused days (§2).
RULES_VERSION = 3
