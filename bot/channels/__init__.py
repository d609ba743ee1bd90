"""Our Rasa connectors for Telegram and WhatsApp (Twilio), and their sending APIs.

This package and its `api` modules stay free of Rasa imports, so the worker can send with
them; the Rasa connectors live in `telegram/connector.py` and `whatsapp/connector.py`.
"""
