"""Registration from the command line: partners, trajectories, links and CSV imports.

Free of Rasa imports; every function takes a Store and does its work in one transaction.
"""
