"""Rasa SDK actions of Korte Lijnen. The action server loads every module in this package."""
