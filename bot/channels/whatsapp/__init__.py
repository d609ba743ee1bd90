"""WhatsApp through Twilio: the Rasa connector (connector.py) and the sending API (api.py)."""
