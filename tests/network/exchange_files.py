"""Contacts files as people really have them, as bytes: Excel in French (`;`, Windows-1252,
or UTF-8 with a BOM), Google and Outlook exports, vCards 3.0 and 4.0 from phones."""

import base64

EXCEL_FR_BOM = (
    "\ufeffPrénom;Nom;Société;Fonction;E-mail;Téléphone;Notes\r\n"
    "Anne;Martin;Hôpital Édouard-Herriot;Infirmière puéricultrice;anne.martin@exemple.fr;"
    '06 12 34 56 78;"Rencontrée au forum ; très disponible"\r\n'
    "Bruno;Lefèvre;Cœur d’Ouvrage;Menuisier;bruno@exemple.fr;+33 4 72 00 00 00;\r\n"
).encode()

# Windows-1252: é, œ, the typographic apostrophe ’ (0x92) and quoted line breaks in the notes.
EXCEL_FR_CP1252 = (
    "Prénom;Nom;Société;Fonction;Adresse e-mail;Tél. mobile;Notes\r\n"
    'Éloïse;Bœuf;L’Atelier;Ébéniste;eloise@exemple.fr;0612345678;"Première ligne\r\n'
    'deuxième ligne ; avec « guillemets »"\r\n'
    ";;;;;;\r\n"
    "Léa;Dupré;Œuvre d’art;Restauratrice;pas-un-email;06 12;\r\n"
).encode("cp1252")

GOOGLE = (
    "Name,Given Name,Additional Name,Family Name,Nickname,Notes,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,"
    "Phone 2 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,"
    "Website 1 - Type,Website 1 - Value\r\n"
    "Chloé Roux,Chloé,,Roux,,Ancienne collègue,* myContacts,* Work,chloe.roux@exemple.org,"
    "Work,01 23 45 67 89,Mobile,06 98 76 54 32,,Compagnie Roux,Cheffe de projet,"
    "Profile,https://www.linkedin.com/in/chloe-roux\r\n"
).encode()

OUTLOOK = (
    "First Name,Middle Name,Last Name,Title,Suffix,Company,Department,Job Title,"
    "Business Phone,Home Phone,Mobile Phone,E-mail Address,E-mail 2 Address,Notes,Web Page\r\n"
    'Denis,,Garnier,M.,,"Garnier, Fils & Cie",,Directeur,01 40 00 00 00,,07 81 22 33 44,,'
    'denis@garnier.fr,"Vu au salon\nà rappeler",\r\n'
).encode()

LINKEDIN = (
    b"Notes:\r\n"
    b'"When exporting your connection data, you may notice that some of the email addresses '
    b'are missing."\r\n'
    b"\r\n"
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    b"Farid,Benali,https://www.linkedin.com/in/farid-benali,,Data & Co,Data analyst,"
    b"12 Mar 2024\r\n"
)

PHOTO = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3).decode()
# Folded at 75 characters as vCard writers do (a space starts the continuation).
FOLDED_PHOTO = "\r\n ".join(PHOTO[index : index + 74] for index in range(0, len(PHOTO), 74))

VCARD_3 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Moreau;Hélène;;Mme;\r\n"
    "FN:Hélène Moreau\r\n"
    "ORG:Mairie de Lyon;Direction des sports\r\n"
    "TITLE:Responsable des équipements spo\r\n"
    " rtifs\r\n"
    "TEL;TYPE=WORK,VOICE:04 72 10 30 30\r\n"
    "TEL;TYPE=CELL:06 11 22 33 44\r\n"
    "EMAIL;TYPE=INTERNET,PREF:helene.moreau@exemple.fr\r\n"
    "EMAIL;TYPE=INTERNET:h.moreau@perso.fr\r\n"
    f"PHOTO;ENCODING=b;TYPE=JPEG:{FOLDED_PHOTO}\r\n"
    "NOTE:Rencontrée au forum\\, à relancer en septembre\\nSecond paragraphe\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Yannick Le Gall\r\n"
    "TEL;TYPE=HOME:+44 20 7946 0958\r\n"
    "END:VCARD\r\n"
).encode()

VCARD_4 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Inès Fontaine\r\n"
    "N:Fontaine;Inès;;;\r\n"
    "ORG:Fondation Œuvre\r\n"
    "TITLE:Chargée de mission\r\n"
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6-55-44-33-22\r\n'
    "EMAIL:ines@fondation.example\r\n"
    "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
    " /2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQE\r\n"
    "URL:https://fondation.example/equipe\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Carte cassée\r\n"
    "cette ligne n'a pas de deux-points\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "N:Sans-Mail;Jules;;;\r\n"
    "EMAIL:jules(at)exemple\r\n"
    "END:VCARD\r\n"
).encode()

XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(200)
