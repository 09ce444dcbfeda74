"""Pay Places: Kosmos in the shop. QR payments (merchant- and customer-presented), Scan&Go
(scan as you shop, exit pass) in `scango/`, restaurants (table tabs, kitchen display,
order ahead) in `dining/`, and payment-request cards in chats."""
