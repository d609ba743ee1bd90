"""The partner side: what jobcoaches, regisseurs, intermediairs and others may see and do,
in Dutch, by chat and on the command line. Free of Rasa imports."""
