"""The stand-up timer: state machine, controller, spells, idle sources, notifications."""
