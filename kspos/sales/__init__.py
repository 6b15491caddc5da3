"""Selling: orders and the register, tenders and their gateways, refunds, business days
(영업일), staff and roles, and the audit log."""
