"""Documents for a receipt: the receipt PDF, the Factur-X e-invoice and the GiroCode."""

from kosmos.wallet.documents.einvoice import facturx_pdf, facturx_xml, line_net_amounts
from kosmos.wallet.documents.girocode import epc_payload, girocode_png, girocode_svg
from kosmos.wallet.documents.receipt_pdf import render_receipt_pdf

__all__ = [
    "epc_payload",
    "facturx_pdf",
    "facturx_xml",
    "girocode_png",
    "girocode_svg",
    "line_net_amounts",
    "render_receipt_pdf",
]
