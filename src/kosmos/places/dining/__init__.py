"""Restaurants: table QR codes, shared tabs, kitchen display, paying the tab, order ahead."""
