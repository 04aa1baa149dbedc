"""The elfproef for one BSN, without pandas, so light modules (melding, logging) can use it."""


def bsn_is_valid(value: str) -> bool:
    """Elfproef on a BSN of up to 9 digits (Excel strips leading zeros: pad, never reject).

    The reference implementation (python-stdnum); values.elfproef_vector gives the same answers
    fast for a whole column."""
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return False
    # Imported here: python-stdnum pulls in ssl and socket (10 ms of every start-up), and most
    # runs check whole columns with values.elfproef_vector instead.
    from stdnum.nl import bsn as stdnum_bsn

    padded = value.zfill(9)
    return padded != "000000000" and stdnum_bsn.is_valid(padded)
