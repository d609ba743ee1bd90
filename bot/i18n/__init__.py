"""Languages: the catalogs of texts and words, rendering per channel, and language detection.

Free of Rasa imports: the action server and the CLI use it too.
"""
