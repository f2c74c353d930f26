"""Country names -> ISO 3166-1 alpha-3 codes, with the spellings used by GTD, ACLED,
UCDP GED and RAND RDWTI.

Matching is on a normalised key (diacritics stripped, case folded, punctuation and
spaces removed). A name of the form ``"A (B)"`` is tried whole, then as ``A`` and as
``B``, which covers UCDP's ``"Myanmar (Burma)"`` and RAND's ``"Burma (Myanmar)"``.
States that no longer exist keep their ISO 3166-3 code (``SUN``, ``YUG``, ``CSK``,
``DDR``); Kosovo uses the widely used user-assigned code ``XKX``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# code: canonical name | variants
_TABLE = """
AFG Afghanistan
ALB Albania
DZA Algeria
AND Andorra
AGO Angola
ATG Antigua and Barbuda
ARG Argentina
ARM Armenia
AUS Australia
AUT Austria
AZE Azerbaijan
BHS Bahamas|The Bahamas
BHR Bahrain
BGD Bangladesh|East Pakistan
BRB Barbados
BLR Belarus|Byelorussia
BEL Belgium
BLZ Belize
BEN Benin|Dahomey|Benin, Dahomey
BTN Bhutan
BOL Bolivia
BIH Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia
BWA Botswana
BRA Brazil
BRN Brunei
BGR Bulgaria
BFA Burkina Faso|Upper Volta
BDI Burundi
KHM Cambodia|Kampuchea
CMR Cameroon
CAN Canada
CPV Cape Verde|Cabo Verde
CAF Central African Republic
TCD Chad
CHL Chile
CHN China|People's Republic of China|China, People's Republic of
TWN Taiwan|Republic of China|China, Republic of (Taiwan)
COL Colombia
COM Comoros
COG Republic of the Congo|Congo|Congo (Brazzaville)|Congo-Brazzaville|People's Republic of the Congo
COD Democratic Republic of the Congo|Democratic Republic of Congo|DR Congo|DR Congo (Zaire)|Zaire|Zaire (Belgian Congo)|Congo (Kinshasa)|Congo, Democratic Republic of the
CRI Costa Rica
CIV Côte d'Ivoire|Cote d'Ivoire|Ivory Coast
HRV Croatia|Croatians
CUB Cuba
CYP Cyprus
CZE Czech Republic|Czechia
CSK Czechoslovakia
DNK Denmark
DJI Djibouti
DMA Dominica
DOM Dominican Republic
TLS Timor-Leste|East Timor
ECU Ecuador
EGY Egypt
SLV El Salvador
GNQ Equatorial Guinea
ERI Eritrea
EST Estonia
SWZ Eswatini|Swaziland|Kingdom of eSwatini (Swaziland)
ETH Ethiopia
FJI Fiji
FIN Finland
FRA France|Corsica
GAB Gabon
GMB Gambia|The Gambia
GEO Georgia
DEU Germany|West Germany|West Germany (FRG)|Federal Republic of Germany
DDR East Germany|East Germany (GDR)|German Democratic Republic
GHA Ghana
GRC Greece
GRD Grenada
GTM Guatemala
GIN Guinea
GNB Guinea-Bissau
GUY Guyana
HTI Haiti
HND Honduras
HUN Hungary
ISL Iceland
IND India|Kashmir
IDN Indonesia
IRN Iran
IRQ Iraq
IRL Ireland
ISR Israel
ITA Italy
JAM Jamaica
JPN Japan
JOR Jordan
KAZ Kazakhstan
KEN Kenya
KIR Kiribati
PRK North Korea|Korea, North|Democratic People's Republic of Korea
KOR South Korea|Korea, South|Republic of Korea
XKX Kosovo|FRY (Kosovo)
KWT Kuwait
KGZ Kyrgyzstan|Kyrgyz Republic
LAO Laos|Lao PDR
LVA Latvia
LBN Lebanon
LSO Lesotho
LBR Liberia
LBY Libya
LIE Liechtenstein
LTU Lithuania
LUX Luxembourg
MKD North Macedonia|Macedonia|Macedonia, FYR|Macedonia (FYROM)
MDG Madagascar|Madagascar (Malagasy)|Malagasy Republic
MWI Malawi
MYS Malaysia
MDV Maldives
MLI Mali
MLT Malta
MHL Marshall Islands
MRT Mauritania
MUS Mauritius
MEX Mexico
FSM Micronesia
MDA Moldova
MCO Monaco
MNG Mongolia
MNE Montenegro|FRY (Montenegro)
MAR Morocco
MOZ Mozambique
MMR Myanmar|Burma|Myanmar (Burma)|Burma (Myanmar)
NAM Namibia|South West Africa|Namibia, SWAf
NRU Nauru
NPL Nepal
NLD Netherlands
NZL New Zealand
NIC Nicaragua
NER Niger
NGA Nigeria
NOR Norway
OMN Oman
PAK Pakistan
PLW Palau
PSE Palestine|West Bank and Gaza Strip|West Bank/Gaza|Palestinian Territories|Gaza Strip|West Bank
PAN Panama
PNG Papua New Guinea|Papua-New Guinea
PRY Paraguay
PER Peru
PHL Philippines
POL Poland
PRT Portugal|Azores|Madeira
QAT Qatar
ROU Romania|Rumania
RUS Russia|Russian Federation|Russia (Soviet Union)|Chechnya
SUN Soviet Union|USSR
RWA Rwanda
KNA Saint Kitts and Nevis|St. Kitts and Nevis
LCA Saint Lucia|St. Lucia
VCT Saint Vincent and the Grenadines
WSM Samoa
SMR San Marino
STP Sao Tome and Principe
SAU Saudi Arabia
SEN Senegal
SRB Serbia|Serbia (Yugoslavia)|FRY (Serbia)|FRY (Southern Serbia)
SCG Serbia and Montenegro|Serbia-Montenegro
YUG Yugoslavia|FRY|Federal Republic of Yugoslavia
SYC Seychelles
SLE Sierra Leone
SGP Singapore
SVK Slovakia|Slovak Republic
SVN Slovenia
SLB Solomon Islands
SOM Somalia|Somaliland
ZAF South Africa|Transkei|Bophuthatswana|Ciskei|Venda
SSD South Sudan
ESP Spain|Canary Islands
LKA Sri Lanka|Ceylon|Sri Lanka (Ceylon)
SDN Sudan
SUR Suriname|Surinam
SWE Sweden
CHE Switzerland
SYR Syria|Syrian Arab Republic
TJK Tajikistan
TZA Tanzania|Tanganyika|Zanzibar
THA Thailand
TGO Togo
TON Tonga
TTO Trinidad and Tobago|Trinidad-Tobago
TUN Tunisia
TUR Turkey|Türkiye|Turkiye
TKM Turkmenistan
TUV Tuvalu
UGA Uganda
UKR Ukraine
ARE United Arab Emirates|Trucial Oman States
GBR United Kingdom|UK|Great Britain|Northern Ireland|England|Scotland|Wales
USA United States|United States of America|USA|US
URY Uruguay
UZB Uzbekistan
VUT Vanuatu
VAT Vatican City|Holy See
VEN Venezuela
VNM Vietnam|Viet Nam|South Vietnam|North Vietnam|Republic of Vietnam
YEM Yemen|Yemen (North Yemen)|North Yemen|Yemen Arab Republic
YMD South Yemen|People's Democratic Republic of Yemen
ZMB Zambia
ZWE Zimbabwe|Rhodesia|Zimbabwe (Rhodesia)
ESH Western Sahara
HKG Hong Kong
MAC Macao|Macau
PRI Puerto Rico
FLK Falkland Islands|Falkland Islands (Islas Malvinas)
PYF French Polynesia
GIB Gibraltar
GLP Guadeloupe
MTQ Martinique
GUF French Guiana
NCL New Caledonia
REU Reunion|Réunion
BMU Bermuda
"""


def _key(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", "", text)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        code, names = line.split(" ", 1)
        for n in names.split("|"):
            out[_key(n)] = code
        out[_key(code)] = code
    return out


def country_iso3(name: object) -> str | None:
    """ISO 3166-1 alpha-3 code of a country name in any of the sources' spellings.

    >>> country_iso3("Russia (Soviet Union)")
    'RUS'

    Returns ``None`` when the name is not known.
    """
    if name is None or (isinstance(name, float) and name != name):
        return None
    text = str(name).strip()
    if not text:
        return None
    idx = _index()
    hit = idx.get(_key(text))
    if hit is not None:
        return hit
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", text)
    if m:
        for part in (m.group(1), m.group(2)):
            hit = idx.get(_key(part))
            if hit is not None:
                return hit
    return None
