"""HTTP routes of the events service, one module per resource; `app.py` wires them."""
