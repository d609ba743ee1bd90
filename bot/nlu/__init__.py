"""Custom Rasa NLU components (loaded by config.yml; these import Rasa)."""
