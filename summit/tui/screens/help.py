"""`?`: how to play and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# How to play

The US, Israel and Russia meet in Jerusalem (June 2019). The actors at the table propose in
turn; every actor that gives something in a package must accept it for a deal. Actors away from
the table (Iran, the Assad regime, Hezbollah) comply or resist, and their strength decides
whether promises can be kept. After a deal, every commitment is attempted: concessions paid
*on promise* are paid whatever happens; *after verified action* only for what is delivered.

**On your turn** pick a level for each issue and how concessions are paid. The preview shows
what the package is worth to each actor: green at or above what it wants now, yellow between
that and its walk-away value, red below it (it would rather leave); • marks the actors that
give something, whose yes the deal needs. Actors away from the table judge a deal as if it
were carried out in full and comply only if that leaves them above their walk-away value.
Answer an offer with *a* (accept, support, comply) or *r* (reject, oppose, resist). Only
actors at the table can walk out, which ends the summit.

**The table** shows per actor its capability, willingness to deliver (mean over what it can
give), credibility in the others' eyes, what the round's offer is worth to it against its
walk-away value, and a sparkline of every offer so far (green: at or above walk-away).

**Hot-seat**: when several humans play, a hand-over screen hides each player's private side.

| key | on the table |
|---|---|
| n, space | continue: next round, or your pending decision |
| p | play on until a human must decide or the summit ends |
| ↑ ↓ in Rounds | scroll back through the offers |
| tab, then enter on an actor | details: willingness per issue, strength, its answer |
| z | zoom the round (small terminals); z again to come back |
| o | the implementation and outcome (when the summit is over) |
| b | your briefing (one human player) |
| x | export the transcript as Markdown |
| ctrl+p | command palette: every action by name |
| ctrl+q | quit (the game is saved after every round) |

| key | your turn |
|---|---|
| tab, enter | move between issues, open a list (offer) |
| ctrl+s | propose (offer) |
| a, r, w | answer yes, no, or walk out (answer) |
| ctrl+b, b | your briefing |
| esc | back to the table (decide later with n) |

Every round is saved to `./saves/` (or `--save-dir`, or `$SUMMIT_SAVE_DIR`);
continue a game with `summit play --resume FILE`.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Markdown(HELP)
