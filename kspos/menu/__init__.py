"""The menu: the catalog snapshot the cashier sells from, and 메뉴 관리 (items, option groups)."""
