// Written by scripts/country-names.py from iso-codes and glibc locale data; edit VARIANTS there.

extension CountryName {
    /// One line per ISO 3166-1 country (and Kosovo's XK): the alpha-2 code, then `|`-separated names
    /// (alpha-3, English, official, common, the names in import's header languages and the
    /// country's own). One string instead of a literal dictionary: it compiles in no time.
    static let names = """
        AD|AND|Andorra|Principality of Andorra|Andorre|Andora|安道尔|安道爾
        AE|ARE|United Arab Emirates|Vereinigte Arabische Emirate|Émirats arabes unis|Emiratos Árabes Unidos|Verenigde Arabische Emiraten|Zjednoczone Emiraty Arabskie|阿联酋|阿拉伯聯合大公國|Emirati Arabi Uniti|Emirados Árabes Unidos|الإمارات العربية المتحدة|الإمارات العربيّة المتحدّة|UAE|U.A.E.|Emirates
        AF|AFG|Afghanistan|Islamic Republic of Afghanistan|Afganistán|Afganistan|阿富汗|Afeganistão|افغانستان
        AG|ATG|Antigua and Barbuda|Antigua und Barbuda|Antigua-et-Barbuda|Antigua y Barbuda|Antigua en Barbuda|Antigua i Barbuda|安提瓜和巴布达|安地卡及巴布達|Antigua e Barbuda|Antígua e Barbuda|Antigua & Barbuda|Antigua
        AI|AIA|Anguilla|Anguila|安圭拉
        AL|ALB|Albania|Republic of Albania|Albanien|Albanie|Albanië|阿尔巴尼亚|阿爾巴尼亞|Albânia|Shqipëri
        AM|ARM|Armenia|Republic of Armenia|Armenien|Arménie|Armenië|亚美尼亚|亞美尼亞|Arménia|Հայաստան|Հայաստանի Հանրապետութիւն
        AO|AGO|Angola|Republic of Angola|安哥拉
        AQ|ATA|Antarctica|Antarktis|Antarctique|Antártida|Antarktyka|南极洲|南極洲|Antartide
        AR|ARG|Argentina|Argentine Republic|Argentinien|Argentine|Argentinië|Argentyna|阿根廷
        AS|ASM|American Samoa|Amerikanisch-Samoa|Samoa américaines|Samoa Estadounidense|Amerikaans-Samoa|Samoa Amerykańskie|美属萨摩亚|美屬薩摩亞|Samoa americane|Samoa Americana
        AT|AUT|Austria|Republic of Austria|Österreich|Autriche|Oostenrijk|奥地利|奧地利|Áustria|Oesterreich
        AU|AUS|Australia|Australien|Australie|Australië|澳大利亚|澳大利亞|Austrália
        AW|ABW|Aruba|阿鲁巴|阿路巴
        AX|ALA|Åland Islands|Åland-Inseln|Åland, Îles|Islas Äland|Ålandseilanden|Wyspy Alandzkie|奥兰群岛|奧蘭群島|Isole Åland|Ilhas Alanda
        AZ|AZE|Azerbaijan|Republic of Azerbaijan|Aserbaidschan|Azerbaïdjan|Azerbaiyán|Azerbeidzjan|Azerbejdżan|阿塞拜疆|亞塞拜然|Azerbaigian|Azerbaijão|Azərbaycan
        BA|BIH|Bosnia and Herzegovina|Republic of Bosnia and Herzegovina|Bosnien und Herzegowina|Bosnie-Herzégovine|Bosnia y Herzegovina|Bosnië en Herzegovina|Bośnia i Hercegowina|波斯尼亚和黑塞哥维那|波士尼亞及赫塞哥維納|Bosnia-Erzegovina|Bósnia e Herzegovina|Bosna i Hercegovina|Bosnia|Bosnia-Herzegovina
        BB|BRB|Barbados|Barbade|巴巴多斯|巴貝多
        BD|BGD|Bangladesh|People's Republic of Bangladesh|Bangladesch|Bangladés|Bangladesz|孟加拉|Bangladeche|বাংলাদেশ
        BE|BEL|Belgium|Kingdom of Belgium|Belgien|Belgique|Bélgica|België|Belgia|比利时|比利時|Belgio|Bèlsj|Beldjike
        BF|BFA|Burkina Faso|Burquina Faso|布基纳法索|布吉納法索
        BG|BGR|Bulgaria|Republic of Bulgaria|Bulgarien|Bulgarie|Bulgarije|Bułgaria|保加利亚|保加利亞|Bulgária|България
        BH|BHR|Bahrain|Kingdom of Bahrain|Bahreïn|Baréin|Bahrein|Bahrajn|巴林|Barém|البحرين
        BI|BDI|Burundi|Republic of Burundi|布隆迪|蒲隆地
        BJ|BEN|Benin|Republic of Benin|Bénin|Benín|贝宁|貝南|Benim
        BL|BLM|Saint Barthélemy|Saint-Barthélemy|San Bartolomé|圣巴泰勒米岛|聖巴瑟米|St. Barthelemy|St Barts
        BM|BMU|Bermuda|Bermudes|Islas Bermudas|Bermudy|百慕大|百慕達|Bermudas
        BN|BRN|Brunei Darussalam|Brunéi Darussalam|Brunei|Państwo Brunei|文莱|汶萊
        BO|BOL|Bolivia, Plurinational State of|Plurinational State of Bolivia|Bolivia|Bolivien, Plurinationaler Staat|Bolivie, état plurinational de|Bolivia, Estado plurinacional de|Bolivia, Multinationale Staat|Boliwia - Wielonarodowe Państwo|玻利维亚共和国|玻利維亞多民族國|Bolivia, Stato Plurinazionale della|Bolívia, Estado Plurinacional da
        BQ|BES|Bonaire, Sint Eustatius and Saba|Bonaire, Sint Eustatius und Saba|Bonaire, Saint-Eustache et Saba|Islas BES (Caribe Neerlandés)|Bonaire, Sint Eustatius en Saba|Bonaire, Sint Eustatius i Saba|博奈尔、圣尤斯特歇斯岛和萨巴|波內赫、聖尤斯特歇斯及薩巴|Paesi Bassi caraibici|Bonaire, Santo Eustáquio e Saba
        BR|BRA|Brazil|Federative Republic of Brazil|Brasilien|Brésil|Brasil|Brazilië|Brazylia|巴西|Brasile
        BS|BHS|Bahamas|Commonwealth of the Bahamas|Bahama's|Bahamy|巴哈马|巴哈馬
        BT|BTN|Bhutan|Kingdom of Bhutan|Bhoutan|Bután|不丹|Butão|འབྲུག|འབྲུག།
        BV|BVT|Bouvet Island|Bouvet-Insel|île Bouvet|Isla Bouvet|Bouveteiland|Wyspa Bouveta|布维群岛|布威島|Isola Bouvet|Ilha Bouvet
        BW|BWA|Botswana|Republic of Botswana|Botsuana|博兹瓦那|波札那
        BY|BLR|Belarus|Republic of Belarus|Bélarus|Bielorrusia|Wit-Rusland|Białoruś|白俄罗斯|白俄羅斯|Bielorussia|Bielorússia|Беларусь
        BZ|BLZ|Belize|Belice|伯利兹|貝里斯
        CA|CAN|Canada|Kanada|Canadá|加拿大|ᑲᓇᑕ
        CC|CCK|Cocos (Keeling) Islands|Kokos-(Keeling-)Inseln|Cocos (Keeling), Îles|Islas Cocos (Keeling)|Cocoseilanden (Keelingeilanden)|Wyspy Kokosowe (Wyspy Keelinga)|科科斯群岛|科科斯 (基林) 群島|Isole Cocos (Keeling)|Ilhas Cocos
        CD|COD|Congo, The Democratic Republic of the|Demokratische Republik Kongo|République démocratique du Congo|Congo, República Democrática del|Congo, Democratische Republiek|Kongo, Demokratyczna Republika Konga|刚果民主共和国|剛果民主共和國|Repubblica democratica del Congo|Congo, República Democrática do|Repibiki demokratiki ya Kongó|DR Congo|DRC|Congo-Kinshasa|Congo (Kinshasa)|Zaire
        CF|CAF|Central African Republic|Zentralafrikanische Republik|République centrafricaine|República Centroafricana|Centraal-Afrikaanse Republiek|Republika Środkowoafrykańska|中非|中非共和國|Repubblica Centrafricana|República Centro-Africana
        CG|COG|Congo|Republic of the Congo|Kongo|République du Congo|刚果|剛果|Congo-Brazzaville|Congo (Brazzaville)
        CH|CHE|Switzerland|Swiss Confederation|Schweiz|Suisse|Suiza|Zwitserland|Szwajcaria|瑞士|Svizzera|Suíça|Schwiz
        CI|CIV|Côte d'Ivoire|Republic of Côte d'Ivoire|Costa de Marfíl|Ivoorkust|Wybrzeże Kości Słoniowej|科特迪瓦|象牙海岸|Costa d'Avorio|Costa do Marfim|Ivory Coast|Cote d'Ivoire
        CK|COK|Cook Islands|Cookinseln|îles Cook|Islas Cook|Cookeilanden|Wyspy Cooka|库克群岛|庫克群島|Isole Cook|Ilhas Cook
        CL|CHL|Chile|Republic of Chile|Chili|智利|Cile
        CM|CMR|Cameroon|Republic of Cameroon|Kamerun|Cameroun|Camerún|Kameroen|喀麦隆|喀麥隆|Camerun|Camarões
        CN|CHN|China|People's Republic of China|Chine|Chiny|中国|中國|Cina|རྒྱ་ནག|جۇڭگو|中华人民共和国|PRC|P.R. China|Mainland China|China, People's Republic of
        CO|COL|Colombia|Republic of Colombia|Kolumbien|Colombie|Kolumbia|哥伦比亚|哥倫比亞|Colômbia
        CR|CRI|Costa Rica|Republic of Costa Rica|Kostaryka|哥斯达黎加|哥斯大黎加
        CU|CUB|Cuba|Republic of Cuba|Kuba|古巴
        CV|CPV|Cabo Verde|Republic of Cabo Verde|Kap Verde|Cap-Vert|Kaapverdië|Republika Zielonego Przylądka|佛得角|維德角|Capo Verde|Cape Verde
        CW|CUW|Curaçao|Curazao|库拉索|古拉索|Curação|Kòrsou
        CX|CXR|Christmas Island|Weihnachtsinseln|Christmas, Île|Isla de Navidad|Christmaseiland|Wyspa Bożego Narodzenia|圣诞岛|聖誕島|Isola di Natale|Ilha Natal
        CY|CYP|Cyprus|Republic of Cyprus|Zypern|Chypre|Chipre|Cypr|塞浦路斯|賽普勒斯|Cipro|Κύπρος|Kıbrıs
        CZ|CZE|Czechia|Czech Republic|Tschechien|Tchéquie|Chequia|Tsjechië|Czechy|捷克|Cechia|Chéquia|Česká republika|Česko
        DE|DEU|Germany|Federal Republic of Germany|Deutschland|Allemagne|Alemania|Duitsland|Niemcy|德国|德國|Germania|Alemanha|Nimska|Dútslân|Němska|Düütschland|BRD
        DJ|DJI|Djibouti|Republic of Djibouti|Dschibuti|Yibuti|Dżibuti|吉布提|吉布地|Gibuti|Yabuuti|Jabuuti
        DK|DNK|Denmark|Kingdom of Denmark|Dänemark|Danemark|Dinamarca|Denemarken|Dania|丹麦|丹麥|Danimarca|Danmark|Daenemark
        DM|DMA|Dominica|Commonwealth of Dominica|Dominique|Dominika|多米尼克
        DO|DOM|Dominican Republic|Dominikanische Republik|République dominicaine|República Dominicana|Dominicaanse Republiek|Republika Dominikańska|多米尼加共和国|多明尼加共和國|Repubblica Dominicana
        DZ|DZA|Algeria|People's Democratic Republic of Algeria|Algerien|Algérie|Algerije|Algieria|阿尔及利亚|阿爾及利亞|Argélia|الجزائر|Lezzayer|Dzayer
        EC|ECU|Ecuador|Republic of Ecuador|Équateur|Ekwador|厄瓜多尔|厄瓜多|Equador
        EE|EST|Estonia|Republic of Estonia|Estland|Estonie|爱沙尼亚|愛沙尼亞|Estónia|Eesti
        EG|EGY|Egypt|Arab Republic of Egypt|Ägypten|Égypte|Egipto|Egypte|Egipt|埃及|Egitto|Egito|مصر|Aegypten
        EH|ESH|Western Sahara|Westsahara|Sahara occidental|Sahara Occidental|Westelijke Sahara|Sahara Zachodnia|西撒哈拉|Sahara occidentale|Saara Ocidental
        ER|ERI|Eritrea|the State of Eritrea|Érythrée|Erytrea|厄立特里亚|厄利垂亞|Eritreia|Eretria|ኤርትራ
        ES|ESP|Spain|Kingdom of Spain|Spanien|Espagne|España|Spanje|Hiszpania|西班牙|Spagna|Espanha|Espanya|Espainia
        ET|ETH|Ethiopia|Federal Democratic Republic of Ethiopia|Äthiopien|Éthiopie|Etiopía|Ethiopië|Etiopia|埃塞俄比亚|衣索比亞|Etiópia|Otobbia|ኢትዮጵያ|ጒት፥ጵ።|Itoophiyaa|Itiyoophiya|Itoobiya
        FI|FIN|Finland|Republic of Finland|Finnland|Finlande|Finlandia|芬兰|芬蘭|Finlândia|Suomi
        FJ|FJI|Fiji|Republic of Fiji|Fidschi|Fidji|Fiyi|Fidżi|斐济|斐濟|Figi
        FK|FLK|Falkland Islands (Malvinas)|Falklandinseln (Malwinen)|Malouines, Îles (Falkland)|Islas Falkland (Malvinas)|Falklandeilanden (Malvinas)|Falklandy (Malwiny)|福克兰群岛(马尔维纳斯)|福克蘭群島 (馬維娜斯)|Isole Falkland (Malvine)|Ilhas Falkland (Malvinas)|Falkland Islands|Falklands
        FM|FSM|Micronesia, Federated States of|Federated States of Micronesia|Mikronesien, Föderierte Staaten von|Micronésie, États fédérés de|Micronesia, Estados Federados de|Micronesia|Mikronezja|密克罗尼西亚|密克羅尼西亞聯邦|Micronésia, Estados Federados da
        FO|FRO|Faroe Islands|Färöer-Inseln|îles Féroé|Islas Feroe|Faeröer|Wyspy Owcze|法罗群岛|法羅群島|Isole Fær Øer|Ilhas Faroé|Føroyar
        FR|FRA|France|French Republic|Frankreich|Francia|Frankrijk|Francja|法国|法國|França|Frañs|Frantzia
        GA|GAB|Gabon|Gabonese Republic|Gabun|Gabón|加蓬|加彭|Gabão
        GB|GBR|United Kingdom|United Kingdom of Great Britain and Northern Ireland|Vereinigtes Königreich|Royaume-Uni|Reino Unido|Verenigd Koninkrijk|Wielka Brytania|英国|英國|Regno Unito|Y Deyrnas Unedig|An Rìoghachd Aonaichte|Rywvaneth Unys|Reeriaght Unnaneysit|Ruwvaneth Unys|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|Grossbritannien|Großbritannien|Vereinigtes Koenigreich
        GD|GRD|Grenada|Grenade|Granada|格林纳达|格瑞那達
        GE|GEO|Georgia|Georgien|Géorgie|Gruzja|格鲁吉亚|喬治亞|Geórgia|Кырҭтәыла|საქართველო
        GF|GUF|French Guiana|Französisch-Guyana|Guyane française|Guayana Francesa|Frans-Guyana|Gujana Francuska|法属圭亚那|法屬蓋亞那|Guyana francese|Guiana Francesa
        GG|GGY|Guernsey|Guernesey|根西岛|根息島
        GH|GHA|Ghana|Republic of Ghana|加纳|迦納|Gana|Gaana
        GI|GIB|Gibraltar|直布罗陀|直布羅陀|Gibilterra
        GL|GRL|Greenland|Grönland|Groënland|Groenlandia|Groenland|Grenlandia|格陵兰|格陵蘭|Gronelândia|Kalaallit Nunaat
        GM|GMB|Gambia|Republic of the Gambia|Gambie|冈比亚|甘比亞|Gâmbia
        GN|GIN|Guinea|Republic of Guinea|Guinée|Guinee|Gwinea|几内亚|幾內亞|Guiné
        GP|GLP|Guadeloupe|Guadalupe|Gwadelupa|瓜德罗普|瓜地洛普|Guadalupa
        GQ|GNQ|Equatorial Guinea|Republic of Equatorial Guinea|Äquatorialguinea|Guinée Équatoriale|Guinea Ecuatorial|Equatoriaal-Guinea|Gwinea Równikowa|赤道几内亚|赤道幾內亞|Guinea equatoriale|Guiné Equatorial
        GR|GRC|Greece|Hellenic Republic|Griechenland|Grèce|Grecia|Griekenland|Grecja|希腊|希臘|Grécia|Ελλάδα
        GS|SGS|South Georgia and the South Sandwich Islands|South Georgia und die Südlichen Sandwichinseln|Géorgie du Sud et les îles Sandwich du Sud|Islas Georgias del Sur y Sándwich del Sur|Zuid-Georgia en de Zuidelijke Sandwicheilanden|Georgia Południowa i Sandwich Południowy|南乔治亚岛和南桑德韦奇岛|南喬治亞及南三明治群島|Georgia del Sud e Isole Sandwich Australi|Ilhas Geórgia do Sul e Sandwich do Sul|South Georgia
        GT|GTM|Guatemala|Republic of Guatemala|Gwatemala|瓜地马拉|瓜地馬拉
        GU|GUM|Guam|关岛|關島
        GW|GNB|Guinea-Bissau|Republic of Guinea-Bissau|Guinée-Bissau|Guinea-Bisáu|Guinee-Bissau|Gwinea Bissau|几内亚比绍|幾內亞比索|Guiné-Bissáu
        GY|GUY|Guyana|Republic of Guyana|Gujana|圭亚那|蓋亞那|Guiana
        HK|HKG|Hong Kong|Hong Kong Special Administrative Region of China|Hongkong|香港|Hong Kong SAR China|中華人民共和國香港特別行政區|Hong Kong SAR|Hong Kong, China|HKSAR
        HM|HMD|Heard Island and McDonald Islands|Heard und McDonaldinseln|îles Heard-et-MacDonald|Islas Heard y McDonald|Heardeiland en McDonaldeilanden|Wyspy Heard i McDonalda|赫德岛与麦克唐纳群岛|赫德島及麥當勞群島|Isole Heard e McDonald|Ilha Heard e Ilhas McDonald
        HN|HND|Honduras|Republic of Honduras|洪都拉斯|宏都拉斯
        HR|HRV|Croatia|Republic of Croatia|Kroatien|Croatie|Croacia|Kroatië|Chorwacja|克罗地亚|克羅埃西亞|Croazia|Croácia|Hrvatska
        HT|HTI|Haiti|Republic of Haiti|Haïti|Haití|海地|Ayiti
        HU|HUN|Hungary|Ungarn|Hongrie|Hungría|Hongarije|Węgry|匈牙利|Ungheria|Hungria|Magyarország
        ID|IDN|Indonesia|Republic of Indonesia|Indonesien|Indonésie|Indonesië|Indonezja|印度尼西亚|印度尼西亞|Indonésia
        IE|IRL|Ireland|Irland|Irlande|Irlanda|Ierland|Irlandia|爱尔兰|愛爾蘭|Éire|Republic of Ireland|Eire
        IL|ISR|Israel|State of Israel|Israël|Izrael|以色列|Israele|ישראל
        IM|IMN|Isle of Man|Insel Man|Île de Man|Isla de Man|Eiland Man|Wyspa Man|曼岛|曼島|Isola di Man|Ilha de Man
        IN|IND|India|Republic of India|Indien|Inde|Indie|印度|Índia|भारत|الهند|ভাৰত|ভারত|རྒྱ་གར་|ભારત|ಭಾರತ|ہِندوستان|Bhorot|ഇന്ത്യ|ଭାରତ|ਭਾਰਤ|भारतम्|ᱥᱤᱧᱚᱛ|انڊيا|ڀارت|இந்தியா|భారతదేశం|భారతదేశము|بھارت
        IO|IOT|British Indian Ocean Territory|Britisches Territorium im Indischen Ozean|Territoire britannique de l'océan Indien|Territorio Británico del Océano Índico|Brits Indische Oceaanterritorium|Brytyjskie Terytorium Oceanu Indyjskiego|英属印度洋领地|英屬印度洋領地|Territorio britannico dell'Oceano Indiano|Território Britânico do Oceano Índico
        IQ|IRQ|Iraq|Republic of Iraq|Irak|伊拉克|Iraque|العراق|عێراق
        IR|IRN|Iran, Islamic Republic of|Islamic Republic of Iran|Iran|Iran, Islamische Republik|Iran, République islamique d'|Irán, República islámica de|Iran, Islamska Republika|伊朗伊斯兰共和国|伊朗伊斯蘭共和國|Irão, República Islâmica do|ایران|ایران، جمهوری اسلامی
        IS|ISL|Iceland|Republic of Iceland|Island|Islande|Islandia|IJsland|冰岛|冰島|Islanda|Islândia|Ísland
        IT|ITA|Italy|Italian Republic|Italien|Italie|Italia|Italië|Włochy|意大利|義大利|Itália|Itàlia
        JE|JEY|Jersey|泽西岛|澤西島
        JM|JAM|Jamaica|Jamaika|Jamaïque|Jamajka|牙买加|牙買加|Giamaica
        JO|JOR|Jordan|Hashemite Kingdom of Jordan|Jordanien|Jordanie|Jordania|Jordanië|约旦|約旦|Giordania|Jordânia|الأردن
        JP|JPN|Japan|Japon|Japón|Japonia|日本|Giappone|Japão
        KE|KEN|Kenya|Republic of Kenya|Kenia|肯尼亚|肯亞|Quénia|Keeniyaa|Kiiniya
        KG|KGZ|Kyrgyzstan|Kyrgyz Republic|Kirgisistan|Kirghizistan|Kirguistán|Kirgizië|Kirgistan|吉尔吉斯坦|吉爾吉斯|Quirguistão|Кыргызстан
        KH|KHM|Cambodia|Kingdom of Cambodia|Kambodscha|Cambodge|Camboya|Cambodja|Kambodża|柬埔塞|柬埔寨|Cambogia|Camboja|កម្ពុជា
        KI|KIR|Kiribati|Republic of Kiribati|基里巴斯|吉里巴斯
        KM|COM|Comoros|Union of the Comoros|Komoren|Comores|Comores, Islas|Comoren|Komory|科摩罗|葛摩|Comore
        KN|KNA|Saint Kitts and Nevis|St. Kitts und Nevis|Saint-Christophe-et-Niévès|San Cristóbal y Nieves|Saint Kitts en Nevis|Saint Kitts i Nevis|圣基茨和尼维斯|聖克里斯多福及尼維斯|Saint Kitts e Nevis|São Cristóvão e Nevis|St. Kitts and Nevis|St Kitts and Nevis|Saint Kitts
        KP|PRK|Korea, Democratic People's Republic of|Democratic People's Republic of Korea|North Korea|Korea, Demokratische Volksrepublik|Corée, République populaire démocratique de|Corea, República Democrática Popular de|Korea, Democratische Volksrepubliek|Korea - Republika Ludowo-Demokratyczna|朝鲜民主主义人民共和国|朝鮮民主主義人民共和國|Corea del Nord|Coreia, República Popular Democrática da|Korea, North|Korea (North)|DPRK|Nordkorea
        KR|KOR|Korea, Republic of|South Korea|Korea, Republik|Corée, République de|Corea, República de|Korea, Republiek|Republika Korei|大韩民国|大韓民國|Corea del sud|Coreia, República da|대한민국|Korea|Korea, South|Republic of Korea|Korea (South)|Südkorea|Suedkorea
        KW|KWT|Kuwait|State of Kuwait|Koweït|Koeweit|Kuwejt|科威特|الكويت
        KY|CYM|Cayman Islands|Cayman-Inseln|îles Caïmans|Islas Caimán|Kaaimaneilanden|Kajmany|开曼群岛|開曼群島|Isole Cayman|Ilhas Caimão
        KZ|KAZ|Kazakhstan|Republic of Kazakhstan|Kasachstan|Kazajistán|Kazachstan|哈萨克斯坦|哈薩克|Kazakistan|Cazaquistão|Қазақстан
        LA|LAO|Lao People's Democratic Republic|Laos|Laos, Demokratische Volksrepublik|Lao, République démocratique populaire|República Democrática Popular de Lao|Laos Democratische Volksrepubliek|Laotańska Republika Ludowo-Demokratyczna|老挝人民民主共和国|寮人民民主共和國|República Democrática Popular do Laos|ລາວ
        LB|LBN|Lebanon|Lebanese Republic|Libanon|Liban|Líbano|黎巴嫩|Libano|لبنان
        LC|LCA|Saint Lucia|St. Lucia|Sainte-Lucie|Santa Lucía|圣路西亚|聖露西亞|Santa Lúcia|St Lucia
        LI|LIE|Liechtenstein|Principality of Liechtenstein|列支敦士登|列支敦斯登
        LK|LKA|Sri Lanka|Democratic Socialist Republic of Sri Lanka|斯里兰卡|斯里蘭卡|ශ්‍රී ලංකාව|இலங்கை
        LR|LBR|Liberia|Republic of Liberia|Libéria|利比里亚|賴比瑞亞
        LS|LSO|Lesotho|Kingdom of Lesotho|Lesoto|莱索托|賴索托
        LT|LTU|Lithuania|Republic of Lithuania|Litauen|Lituanie|Lituania|Litouwen|Litwa|立陶宛|Lituânia|Lietuva|Lietova
        LU|LUX|Luxembourg|Grand Duchy of Luxembourg|Luxemburg|Luxemburgo|Luksemburg|卢森堡|盧森堡|Lussemburgo|Lëtzebuerg
        LV|LVA|Latvia|Republic of Latvia|Lettland|Lettonie|Letonia|Letland|Łotwa|拉脱维亚|拉脫維亞|Lettonia|Letónia|Latvija
        LY|LBY|Libya|Libyen|Libye|Libia|Libië|利比亚|利比亞|Líbia|ليبيا
        MA|MAR|Morocco|Kingdom of Morocco|Marokko|Maroc|Marruecos|Maroko|摩洛哥|Marocco|Marrocos|المغرب|ⵜⴰⴳⵍⴷⵉⵜ ⵏ ⵍⵎⵖⵔⵉⴱ|Lmerruk
        MC|MCO|Monaco|Principality of Monaco|Mónaco|Monako|摩纳哥|摩納哥
        MD|MDA|Moldova, Republic of|Republic of Moldova|Moldova|Moldau, Republik|Moldova, République de|Moldavia, República de|Moldavië, Republiek|Mołdawia - Republika|摩尔多瓦共和国|摩爾多瓦共和國|Moldavia|Moldávia, República da
        ME|MNE|Montenegro|Monténégro|Czarnogóra|黑山|蒙特內哥羅|Црна Гора
        MF|MAF|Saint Martin (French part)|Saint Martin (Französischer Teil)|Saint-Martin (partie française)|San Martín (zona francesa)|Sint-Maarten (Frans deel)|Saint-Martin (część francuska)|法属圣马丁|聖馬丁 (法屬)|Saint-Martin (Francia)|São Martin (Território Francês)|St. Martin
        MG|MDG|Madagascar|Republic of Madagascar|Madagaskar|马达加斯加|馬達加斯加|Madagáscar|Madagasikara
        MH|MHL|Marshall Islands|Republic of the Marshall Islands|Marshallinseln|Îles Marshall|Islas Marshall|Marshalleilanden|Wyspy Marshalla|马绍尔群岛|馬紹爾群島|Isole Marshall|Ilhas Marshall
        MK|MKD|North Macedonia|Republic of North Macedonia|Nordmazedonien|Macédoine du Nord|Macedonia del Norte|Noord-Macedonië|Macedonia Północna|北马其顿|北馬其頓|Macedonia del Nord|Macedónia do Norte|Македонија|Maqedoni|Maqedonia e Veriut|Macedonia
        ML|MLI|Mali|Republic of Mali|Malí|马里|馬利
        MM|MMR|Myanmar|Republic of Myanmar|Birmanie|Birmania|Mjanma|缅甸|緬甸|Birmânia|ဗၟာ|မြန်မာ|မြန်မာနိုင်ငံ|မၢၼ်ႈ|Burma
        MN|MNG|Mongolia|Mongolei|Mongolie|Mongolië|蒙古|Mongólia|Монгол
        MO|MAC|Macao|Macao Special Administrative Region of China|Macau|Makau|澳门|澳門|Macao SAR|Macau SAR|Macao SAR China
        MP|MNP|Northern Mariana Islands|Commonwealth of the Northern Mariana Islands|Nördliche Marianen|Îles Mariannes du Nord|Islas Marianas del Norte|Noordelijke Marianen|Mariany Północne|北马里亚纳群岛|北馬里亞納群島|Isole Marianne Settentrionali|Ilhas Marianas do Norte
        MQ|MTQ|Martinique|Martinica|Martynika|马提尼克|馬丁尼克
        MR|MRT|Mauritania|Islamic Republic of Mauritania|Mauretanien|Mauritanie|Mauritanië|Mauretania|毛里塔尼亚|茅利塔尼亞|Mauritânia
        MS|MSR|Montserrat|蒙塞拉特岛|蒙塞拉特島|Monserrate
        MT|MLT|Malta|Republic of Malta|Malte|马尔他|馬爾他
        MU|MUS|Mauritius|Republic of Mauritius|Maurice|Mauricio|毛里求斯|模里西斯|Maurizio|Maurícia|Moris
        MV|MDV|Maldives|Republic of Maldives|Malediven|Islas Maldivas|Maldiven|Malediwy|马尔代夫|馬爾地夫|Maldive|Maldivas|ދިވެހިރާއްޖެ
        MW|MWI|Malawi|Republic of Malawi|Malaui|马拉维|馬拉威
        MX|MEX|Mexico|United Mexican States|Mexiko|Mexique|México|Meksyk|墨西哥|Messico|Mexihco
        MY|MYS|Malaysia|Malaisie|Malasia|Maleisië|Malezja|马来西亚|馬來西亞|Malásia
        MZ|MOZ|Mozambique|Republic of Mozambique|Mosambik|Mozambik|莫桑比克|莫三比克|Mozambico|Moçambique
        NA|NAM|Namibia|Republic of Namibia|Namibie|Namibië|纳米比亚|納米比亞|Namíbia
        NC|NCL|New Caledonia|Neukaledonien|Nouvelle-Calédonie|Nueva Caledonia|Nieuw-Caledonië|Nowa Kaledonia|新喀里多尼亚|新喀里多尼亞|Nuova Caledonia|Nova Caledónia
        NE|NER|Niger|Republic of the Niger|尼日尔|尼日|Níger
        NF|NFK|Norfolk Island|Norfolkinsel|île Norfolk|Isla Norfolk|Norfolk|Wyspy Norfolk|诺福克岛|諾福克島|Isola Norfolk|Ilha Norfolk
        NG|NGA|Nigeria|Federal Republic of Nigeria|尼日利亚|奈及利亞|Nigéria|Najeriya|Nijeriya|Naịjịrịa|Orilẹ̀-èdè Nàìjíríà|Nàìjíríà
        NI|NIC|Nicaragua|Republic of Nicaragua|Nikaragua|尼加拉瓜|Nicarágua
        NL|NLD|Netherlands|Kingdom of the Netherlands|Niederlande|Pays-Bas|Países Bajos|Nederland|Holandia|荷兰|荷蘭|Paesi Bassi|Países Baixos|Nederlân|Nedderlannen|Holland|The Netherlands
        NO|NOR|Norway|Kingdom of Norway|Norwegen|Norvège|Noruega|Noorwegen|Norwegia|挪威|Norvegia|Norge|Noreg|Norga
        NP|NPL|Nepal|Federal Democratic Republic of Nepal|Népal|尼泊尔|尼泊爾|नेपाल
        NR|NRU|Nauru|Republic of Nauru|瑙鲁|諾魯
        NU|NIU|Niue|Nioue|纽埃|紐埃|Niuē
        NZ|NZL|New Zealand|Neuseeland|Nouvelle-Zélande|Nueva Zelanda|Nieuw-Zeeland|Nowa Zelandia|新西兰|紐西蘭|Nuova Zelanda|Nova Zelândia|Aotearoa
        OM|OMN|Oman|Sultanate of Oman|Omán|阿曼|Omã|عُمان|عمان
        PA|PAN|Panama|Republic of Panama|Panamá|巴拿马|巴拿馬
        PE|PER|Peru|Republic of Peru|Pérou|Perú|秘鲁|祕魯|Perù|Piruw
        PF|PYF|French Polynesia|Französisch-Polynesien|Polynésie française|Polinesia Francesa|Frans-Polynesië|Polinezja Francuska|法属玻利尼西亚|法屬玻里尼西亞|Polinesia francese|Polinésia Francesa
        PG|PNG|Papua New Guinea|Independent State of Papua New Guinea|Papua-Neuguinea|Papouasie-Nouvelle-Guinée|Papúa Nueva Guinea|Papoea-Nieuw-Guinea|Papua-Nowa Gwinea|巴布亚新几内亚|巴布亞紐幾內亞|Papua Nuova Guinea|Papua Nova Guiné|Papua Niugini
        PH|PHL|Philippines|Republic of the Philippines|Philippinen|Filipinas|Filipijnen|Filipiny|菲律宾|菲律賓|Filippine|Pilipinas
        PK|PAK|Pakistan|Islamic Republic of Pakistan|Pakistán|巴基斯坦|Paquistão|پکستان|ਪਾਕਿਸਤਾਨ|پاکستان
        PL|POL|Poland|Republic of Poland|Polen|Pologne|Polonia|Polska|波兰|波蘭|Polónia|Pòlskô
        PM|SPM|Saint Pierre and Miquelon|St. Pierre und Miquelon|Saint-Pierre-et-Miquelon|San Pedro y Miquelon|Saint-Pierre en Miquelon|Saint-Pierre i Miquelon|圣皮埃尔和密克隆|聖皮耶及密克隆群島|Saint-Pierre e Miquelon|Saint Pierre e Miquelon|St. Pierre and Miquelon
        PN|PCN|Pitcairn|Îles Pitcairn|Pitcairneilanden|皮特克恩|皮特肯島
        PR|PRI|Puerto Rico|Porto Rico|Portoryko|波多黎各|Portorico
        PS|PSE|Palestine, State of|the State of Palestine|Palästina, Staat|Palestine, État de|Palestina, Estado de|Palestina, Staat|Palestyna (państwo)|巴勒斯坦|Palestina, Stato di|Palestina, Estado da|Palestine
        PT|PRT|Portugal|Portuguese Republic|Portugalia|葡萄牙|Portogallo
        PW|PLW|Palau|Republic of Palau|Palaos|帕劳|帛琉
        PY|PRY|Paraguay|Republic of Paraguay|Paragwaj|巴拉圭|Paraguai
        QA|QAT|Qatar|State of Qatar|Katar|Catar|卡塔尔|卡達|قطر
        RE|REU|Réunion|Réunion, Île de la|Reunión|Reunion|留尼汪|留尼旺島|Riunione|Ilha Reunião
        RO|ROU|Romania|Rumänien|Roumanie|Rumanía|Roemenië|Rumunia|罗马尼亚|羅馬尼亞|Roménia|România|Rumaenien
        RS|SRB|Serbia|Republic of Serbia|Serbien|Serbie|Servië|塞尔维亚|塞爾維亞|Sérvia|Србија
        RU|RUS|Russian Federation|Russische Föderation|Russie, Fédération de|Federación Rusa|Rusland|Federacja Rosyjska|俄罗斯|俄羅斯聯邦|Russia|Federação Russa|Росси|Уӕрӕсе|Россия|Российская Федерация|Арассыыйа|Русия|Урыс Патшаһлык
        RW|RWA|Rwanda|Rwandese Republic|Ruanda|卢旺达|盧安達|U Rwanda
        SA|SAU|Saudi Arabia|Kingdom of Saudi Arabia|Saudi-Arabien|Arabie saoudite|Arabia Saudí|Saoedi-Arabië|Arabia Saudyjska|沙特阿拉伯|沙烏地阿拉伯|Arabia Saudita|Arábia Saudita|المملكة العربية السعودية|السّعوديّة|KSA
        SB|SLB|Solomon Islands|Salomoninseln|Salomon, Îles|Islas Salomón|Salomonseilanden|Wyspy Salomona|所罗门群岛|索羅門群島|Isole Salomone|Ilhas Salomão
        SC|SYC|Seychelles|Republic of Seychelles|Seychellen|Seszele|塞舌尔|塞席爾
        SD|SDN|Sudan|Republic of the Sudan|Soudan|Sudán|Soedan|苏丹|蘇丹|Sudão|السودان|السّودان
        SE|SWE|Sweden|Kingdom of Sweden|Schweden|Suède|Suecia|Zweden|Szwecja|瑞典|Svezia|Suécia|Sverige
        SG|SGP|Singapore|Republic of Singapore|Singapur|Singapour|新加坡|Singapura
        SH|SHN|Saint Helena, Ascension and Tristan da Cunha|St. Helena, Ascension und Tristan da Cunha|Sainte-Hélène, Ascension et Tristan da Cunha|Santa Elena, Ascensión y Tristán de Acuña|Sint-Helena, Ascension en Tristan da Cunha|Wyspa Świętej Heleny, Wyspa Wniebowstąpienia i Tristan da Cunha|圣赫勒拿-阿森松-特里斯坦达库尼亚|聖赫倫那島、阿森松島及崔斯坦達庫尼亞群島|Sant'Elena, Ascensione e Tristan da Cunha|Santa Helena, Ascensão e Tristão da Cunha|St. Helena
        SI|SVN|Slovenia|Republic of Slovenia|Slowenien|Slovénie|Eslovenia|Slovenië|Słowenia|斯洛文尼亚|斯洛維尼亞|Eslovénia|Slovenija
        SJ|SJM|Svalbard and Jan Mayen|Svalbard und Jan Mayen|Svalbard et île Jan Mayen|Svalbard y Jan Mayen|Spitsbergen en Jan Mayen|Svalbard i Jan Mayen|斯瓦尔巴特和扬马延岛|冷岸群島及央棉|Svalbard e Jan Mayen
        SK|SVK|Slovakia|Slovak Republic|Slowakei|Slovaquie|Eslovaquia|Slowakije|Słowacja|斯洛伐克|Slovacchia|Eslováquia|Slovensko
        SL|SLE|Sierra Leone|Republic of Sierra Leone|Sierra Leona|塞拉利昂|獅子山|Serra Leoa
        SM|SMR|San Marino|Republic of San Marino|Saint-Marin|圣马力诺市|聖馬利諾
        SN|SEN|Senegal|Republic of Senegal|Sénégal|塞内加尔|塞內加爾|Senegaal
        SO|SOM|Somalia|Federal Republic of Somalia|Somalie|Somalië|索马里|索馬利亞|Somália|Soomaaliya
        SR|SUR|Suriname|Republic of Suriname|Surinam|Surinám|苏里南|蘇利南
        SS|SSD|South Sudan|Republic of South Sudan|Südsudan|Soudan du Sud|Sudán del Sur|Zuid-Soedan|Sudan Południowy|南苏丹|南蘇丹|Sudan del sud|Sudão do Sul|جنوب السودان|جنوب السّودان
        ST|STP|Sao Tome and Principe|Democratic Republic of Sao Tome and Principe|São Tomé und Príncipe|Sao Tomé-et-Principe|Santo Tomé y Príncipe|Sao Tomé en Principe|Wyspy Świętego Tomasza i Książęca|圣多美和普林西比|聖多美及普林西比|São Tomé e Príncipe
        SV|SLV|El Salvador|Republic of El Salvador|Salvador|Salwador|萨尔瓦多|薩爾瓦多
        SX|SXM|Sint Maarten (Dutch part)|Saint-Martin (Niederländischer Teil)|Saint-Martin (partie néerlandaise)|Isla de San Martín (zona holandsea)|Sint Maarten (Nederlands deel)|Sint Maarten (część holenderska)|荷属圣马丁|聖馬丁 (荷屬)|Sint Maarten (Olanda)|São Martinho (Países Baixos)|Sint Maarten
        SY|SYR|Syrian Arab Republic|Syria|Syrien, Arabische Republik|Syrienne, République arabe|República árabe de Siria|Syrië|Syryjska Republika Arabska|阿拉伯叙利亚共和国|敘利亞阿拉伯共和國|Siria|República Árabe Síria|سوريا|الجمهوريّة العربيّة السّوريّة
        SZ|SWZ|Eswatini|Kingdom of Eswatini|Esuatini|斯威士兰|史瓦帝尼|Suazilândia|Swaziland
        TC|TCA|Turks and Caicos Islands|Turks- und Caicosinseln|îles Turques-et-Caïques|Islas Turcas y Caicos|Turks- en Caicoseilanden|Turks i Caicos|特克斯和凯科斯群岛|土克凱可群島|Isole Turks e Caicos|Ilhas Turcas e Caicos
        TD|TCD|Chad|Republic of Chad|Tschad|Tchad|Tsjaad|Czad|乍得|查德|Ciad|Chade
        TF|ATF|French Southern Territories|Französische Süd- und Antarktisgebiete|Terres australes françaises|Territorios Franceses del Sur|Franse Zuidelijke Gebieden|Francuskie Terytoria Południowe|法属南半球领地|法屬南部領地|Territori francesi meridionali|Territórios Franceses do Sul
        TG|TGO|Togo|Togolese Republic|多哥
        TH|THA|Thailand|Kingdom of Thailand|Thaïlande|Tailandia|Tajlandia|泰国|泰國|Thailandia|Tailândia|ไทย
        TJ|TJK|Tajikistan|Republic of Tajikistan|Tadschikistan|Tadjikistan|Tayikistán|Tadzjikistan|Tadżykistan|塔吉克斯坦|塔吉克|Tagikistan|Tajiquistão|Тоҷикистон
        TK|TKL|Tokelau|托克劳|托克勞
        TL|TLS|Timor-Leste|Democratic Republic of Timor-Leste|Timor oriental|Timor Oriental|Oost-Timor|Timor Wschodni|东帝汶|東帝汶|Timor Est|East Timor
        TM|TKM|Turkmenistan|Turkménistan|Turkmenistán|土库曼斯坦|土庫曼|Turquemenistão|Türkmenistan
        TN|TUN|Tunisia|Republic of Tunisia|Tunesien|Tunisie|Tunez|Tunesië|Tunezja|突尼斯|突尼西亞|Tunísia|تونس
        TO|TON|Tonga|Kingdom of Tonga|汤加|東加
        TR|TUR|Türkiye|Republic of Türkiye|Türkei|Turkije|Turcja|土耳其|Turquia|Tirkiye|Turkey|Turkiye|Tuerkei
        TT|TTO|Trinidad and Tobago|Republic of Trinidad and Tobago|Trinidad und Tobago|Trinité-et-Tobago|Trinidad y Tobago|Trinidad en Tobago|Trynidad i Tobago|特里尼达和多巴哥|千里達及托巴哥|Trinidad e Tobago|Trindade e Tobago|Trinidad|Trinidad & Tobago
        TV|TUV|Tuvalu|图瓦卢|吐瓦魯
        TW|TWN|Taiwan, Province of China|Taiwan|Taiwan, Chinesische Provinz|Taïwan, province de Chine|Taiwán, Provincia de China|Tajwan, Prowincja Chińska|中国台湾省|中華民國|Taiwan, Repubblica di Cina|Taiwan, Província da China|Taiwan, ROC|Republic of China|Chinese Taipei
        TZ|TZA|Tanzania, United Republic of|United Republic of Tanzania|Tanzania|Tansania, Vereinigte Republik|Tanzanie, République unie de|Tanzania, República unida de|Tanzania, Zjednoczona Republika|坦桑尼亚|坦尚尼亞聯合共和國|Tanzânia, República Unida da
        UA|UKR|Ukraine|Ucrania|Oekraïne|Ukraina|乌克兰|烏克蘭|Ucraina|Ucrânia|Украина|Україна
        UG|UGA|Uganda|Republic of Uganda|Ouganda|Oeganda|乌干达|烏干達|Yuganda
        UM|UMI|United States Minor Outlying Islands|Îles mineures éloignées des États-Unis|Islas Ultramarinas Menores de Estados Unidos|Kleine afgelegen eilanden van de Verenigde Staten|Dalekie Wyspy Mniejsze Stanów Zjednoczonych|美国本土外小岛屿|美屬邊疆群島|Isole minori esterne degli Stati Uniti d'America|Ilhas Menores Distantes dos Estados Unidos|US Minor Outlying Islands
        US|USA|United States|United States of America|Vereinigte Staaten|États-Unis|Estados Unidos|Verenigde Staten|Stany Zjednoczone|美国|美國|Stati Uniti|ᏌᏊ ᎢᏳᎾᎵᏍᏔᏅ ᏍᎦᏚᎩ|פֿאַראייניגטע שטאַטן|U.S.|U.S.A.|America|Vereinigte Staaten von Amerika
        UY|URY|Uruguay|Eastern Republic of Uruguay|Urugwaj|乌拉圭|烏拉圭|Uruguai
        UZ|UZB|Uzbekistan|Republic of Uzbekistan|Usbekistan|Ouzbékistan|Uzbekistán|Oezbekistan|乌兹别克斯坦|烏茲別克|Uzbequistão|Oʻzbekiston
        VA|VAT|Holy See (Vatican City State)|Heiliger Stuhl (Staat Vatikanstadt)|Saint-Siège (état de la cité du Vatican)|Santa Sede (Ciudad Estado del Vaticano)|Vaticaanstad, Staat|Państwo Watykańskie (Stolica Apostolska)|梵地冈|教廷 (梵蒂岡城市國)|Santa Sede (Stato della Città del Vaticano)|Santa Sé (Estado da Cidade do Vaticano)|Vatican|Vatican City|Holy See
        VC|VCT|Saint Vincent and the Grenadines|St. Vincent und die Grenadinen|Saint-Vincent-et-les-Grenadines|San Vicente y las Granadinas|Saint Vincent en de Grenadines|Saint Vincent i Grenadyny|圣文森特和格林纳丁斯|聖文森及格瑞納丁|Saint Vincent e Grenadine|São Vicente e Granadinas|St. Vincent and the Grenadines|St Vincent|Saint Vincent
        VE|VEN|Venezuela, Bolivarian Republic of|Bolivarian Republic of Venezuela|Venezuela|Venezuela, Bolivarische Republik|Vénézuela, république bolivarienne du|Venezuela, República Bolivariana de|Venezuela, Bolivariaanse Republiek|Wenezuela - Boliwariańska Republika|委内瑞拉玻利瓦尔共和国|委內瑞拉玻利瓦爾共和國|Venezuela, Repubblica bolivariana del|Venezuela, República Bolivariana da
        VG|VGB|Virgin Islands, British|British Virgin Islands|Britische Jungferninseln|Îles Vierges britanniques|Islas Vírgenes, Británicas|Maagdeneilanden, Britse|Brytyjskie Wyspy Dziewicze|英属维尔京群岛|英屬維京群島|Isole Vergini, Regno Unito|Ilhas Virgens, Britânicas|BVI
        VI|VIR|Virgin Islands, U.S.|Virgin Islands of the United States|Amerikanische Jungferninseln|Îles Vierges, États-Unis|Islas Vírgenes, de EEUU|Maagdeneilanden, Amerikaanse|Wyspy Dziewicze Stanów Zjednoczonych|美属维尔京群岛|美屬維京群島|Isole Vergini, U.S.A.|Ilhas Virgens, Estados Unidos|US Virgin Islands|U.S. Virgin Islands
        VN|VNM|Viet Nam|Socialist Republic of Viet Nam|Vietnam|Viêt Nam|Wietnam|越南|Vietname|Việt Nam
        VU|VUT|Vanuatu|Republic of Vanuatu|瓦努阿图|萬那杜
        WF|WLF|Wallis and Futuna|Wallis und Futuna|Wallis et Futuna|Wallis y Futuna|Wallis en Futuna|Wallis i Futuna|瓦利斯和富图纳|沃里斯及伏塔那群島|Wallis e Futuna
        WS|WSM|Samoa|Independent State of Samoa|萨摩亚|薩摩亞|Sāmoa
        XK|Kosovo|XK|XKX
        YE|YEM|Yemen|Republic of Yemen|Jemen|Yémen|也门|葉門|Iémen|اليمن
        YT|MYT|Mayotte|Majotta|马约特|馬約特
        ZA|ZAF|South Africa|Republic of South Africa|Südafrika|Afrique du Sud|Sudáfrica|Zuid-Afrika|Południowa Afryka|南非|Sudafrica|África do Sul|Suid-Afrika|iSewula Afrika|Afrika Borwa|Africa Borwa|iNingizimu Afrika|Aforika Borwa|Afrika Dzonga|Afurika Tshipembe|uMzantsi Afrika|Mzantsi Afrika|IRiphabliki yaseNingizimu Afrika|Suedafrika
        ZM|ZMB|Zambia|Republic of Zambia|Sambia|Zambie|赞比亚|尚比亞|Zâmbia
        ZW|ZWE|Zimbabwe|Republic of Zimbabwe|Simbabwe|Zimbabue|津巴布韦|辛巴威|Zimbábue
        """
}
