"""Dialogs the cashier screen opens: options sheet, cash, discount, PIN, held orders."""
