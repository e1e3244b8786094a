"""painting_dreams
"""

__version__ = "0.1"
