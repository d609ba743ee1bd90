"""Telegram: the Rasa connector (connector.py), the sending API (api.py) and set-webhook."""
