"""Working days on the official calendar (holidays and swapped workdays). Pure, no Django."""
