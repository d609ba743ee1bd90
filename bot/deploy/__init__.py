"""Configuration for running Korte Lijnen as services: embedded or distributed."""
