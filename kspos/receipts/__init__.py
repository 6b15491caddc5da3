"""Receipts: the model the sales core fills, the layout, and the ESC/POS renderers.

``render(receipt, mode, columns)`` gives the printer bytes; :mod:`kspos.receipts.raster` also
draws the PNG preview; :mod:`kspos.receipts.queue` keeps print jobs durable. Submodules are
imported lazily: Pillow and qrcode load only when something is drawn.
"""
