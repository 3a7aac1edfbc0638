# A date and a time read « 7 décembre 2026 à 14:30 », not « 7 décembre 2026 14:30 ».
DATETIME_FORMAT = r"j F Y \à H:i"
