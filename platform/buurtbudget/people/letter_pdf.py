"""The letters of a batch as a PDF for the print shop: one letter per page, in Dutch (B1).

Each letter says what the code is for, where to enter it, until when it works, and that it works
once. Made with fpdf2's built-in Helvetica (Latin-1 covers Dutch).
"""

from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF

from buurtbudget.people.letter_codes import Address
from buurtbudget.workdays import AMSTERDAM


def _latin1(text: str) -> str:
    """The core fonts speak Latin-1: anything else (rare in Dutch addresses) becomes a question mark."""
    return text.encode("latin-1", "replace").decode("latin-1")


def line(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph over the full width; the next one starts under it at the left margin."""
    pdf.multi_cell(0, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")


def letters_pdf(
    letters: Sequence[tuple[Address, str]],
    *,
    neighbourhood: str,
    municipality: str,
    verify_url: str,
    expires_at: datetime,
) -> bytes:
    """One A4 page per (address, code)."""
    until = expires_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y")
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Buurtbudget {neighbourhood}: persoonlijke codes"))
    pdf.set_author(_latin1(f"Gemeente {municipality}"))
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(auto=True, margin=20)
    for address, code in letters:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        line(pdf, 6, f"Aan de bewoners van\n{address.street} {address.house_number}")
        line(pdf, 6, f"{address.postcode[:4]} {address.postcode[4:]}  {address.city}")
        pdf.ln(20)
        pdf.set_font("Helvetica", style="B", size=16)
        line(pdf, 8, f"Uw persoonlijke code voor het buurtbudget van {neighbourhood}")
        pdf.ln(4)
        pdf.set_font("Helvetica", size=11)
        line(
            pdf,
            6,
            (
                "Beste buurtbewoner,\n\n"
                f"In {neighbourhood} beslissen bewoners mee over het geld van de buurt. "
                "U kunt een plan indienen, stemmen en in de buurtjury zitten. Daarvoor laat u eerst zien "
                f"dat u in {neighbourhood} woont. Dat doet u met de code in deze brief."
            ),
        )
        pdf.ln(6)
        pdf.set_font("Helvetica", style="B", size=22)
        pdf.cell(0, 14, code, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font("Helvetica", style="B", size=12)
        line(pdf, 7, "Zo gebruikt u de code")
        pdf.set_font("Helvetica", size=11)
        line(
            pdf,
            6,
            (
                f"1. Ga naar {verify_url}\n"
                "2. Log in met uw e-mailadres. U krijgt een e-mail met een link.\n"
                "3. Vul de code in bij 'Code uit de brief' en klik op 'Code gebruiken'.\n\n"
                f"De code werkt één keer en is geldig tot en met {until}. Woont u hier met meer "
                "mensen? Dan kan één persoon de code gebruiken. De anderen vragen de sociaal makelaar "
                "of de gemeente om hen goed te keuren.\n\n"
                "Verhuist u? Dan telt de code niet meer voor u. Op dezelfde pagina meldt u dat u "
                "verhuist.\n\n"
                f"Hebt u vragen? Neem contact op met de sociaal makelaar van {neighbourhood} of met de "
                f"gemeente {municipality}."
            ),
        )
    return bytes(pdf.output())
