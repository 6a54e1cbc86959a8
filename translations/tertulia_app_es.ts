<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>EmojiPicker</name>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="22"/>
        <source>grinning face</source>
        <translation>cara sonriente</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="23"/>
        <source>smiling face with big eyes</source>
        <translation>cara sonriente con ojos grandes</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="24"/>
        <source>smiling face with smiling eyes</source>
        <translation>cara sonriente con ojos alegres</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="25"/>
        <source>beaming face</source>
        <translation>cara radiante</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="26"/>
        <source>laughing</source>
        <translation>risa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="27"/>
        <source>sweat smile</source>
        <translation>sonrisa con sudor</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="28"/>
        <source>tears of joy</source>
        <translation>lágrimas de alegría</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="29"/>
        <source>rolling on the floor laughing</source>
        <translation>revolcándose de risa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="30"/>
        <source>slightly smiling face</source>
        <translation>cara ligeramente sonriente</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="31"/>
        <source>upside-down face</source>
        <translation>cara al revés</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="32"/>
        <source>winking face</source>
        <translation>guiño</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="33"/>
        <source>blushing smile</source>
        <translation>sonrisa ruborizada</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="34"/>
        <source>halo</source>
        <translation>aureola</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="35"/>
        <source>smiling face with hearts</source>
        <translation>cara sonriente con corazones</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="36"/>
        <source>heart eyes</source>
        <translation>ojos de corazón</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="37"/>
        <source>blowing a kiss</source>
        <translation>lanzando un beso</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="38"/>
        <source>yummy</source>
        <translation>delicioso</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="39"/>
        <source>tongue out</source>
        <translation>sacando la lengua</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="40"/>
        <source>winking with tongue</source>
        <translation>guiño con lengua</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="41"/>
        <source>thinking</source>
        <translation>pensando</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="42"/>
        <source>raised eyebrow</source>
        <translation>ceja levantada</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="43"/>
        <source>neutral face</source>
        <translation>cara neutral</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="44"/>
        <source>expressionless</source>
        <translation>sin expresión</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="45"/>
        <source>rolling eyes</source>
        <translation>poniendo los ojos en blanco</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="46"/>
        <source>smirk</source>
        <translation>sonrisa burlona</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="47"/>
        <source>grimace</source>
        <translation>mueca</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="48"/>
        <source>relieved</source>
        <translation>aliviado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="49"/>
        <source>sleeping</source>
        <translation>durmiendo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="50"/>
        <source>cool sunglasses</source>
        <translation>gafas de sol</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="51"/>
        <source>nerd</source>
        <translation>empollón</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="52"/>
        <source>confused</source>
        <translation>confundido</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="53"/>
        <source>worried</source>
        <translation>preocupado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="54"/>
        <source>open mouth</source>
        <translation>boca abierta</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="55"/>
        <source>astonished</source>
        <translation>asombrado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="56"/>
        <source>flushed</source>
        <translation>sonrojado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="57"/>
        <source>pleading</source>
        <translation>suplicante</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="58"/>
        <source>crying</source>
        <translation>llorando</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="59"/>
        <source>sobbing</source>
        <translation>llorando a mares</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="60"/>
        <source>screaming in fear</source>
        <translation>gritando de miedo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="61"/>
        <source>huffing</source>
        <translation>resoplando</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="62"/>
        <source>angry</source>
        <translation>enfadado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="63"/>
        <source>mind blown</source>
        <translation>mente explotando</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="64"/>
        <source>party face</source>
        <translation>cara de fiesta</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="65"/>
        <source>face with mask</source>
        <translation>cara con mascarilla</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="66"/>
        <source>sick</source>
        <translation>enfermo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="67"/>
        <source>hug</source>
        <translation>abrazo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="68"/>
        <source>shush</source>
        <translation>silencio</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="69"/>
        <source>hand over mouth</source>
        <translation>mano sobre la boca</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="70"/>
        <source>thumbs up</source>
        <translation>pulgar arriba</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="71"/>
        <source>thumbs down</source>
        <translation>pulgar abajo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="72"/>
        <source>OK hand</source>
        <translation>mano de OK</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="73"/>
        <source>victory hand</source>
        <translation>mano de victoria</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="74"/>
        <source>crossed fingers</source>
        <translation>dedos cruzados</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="75"/>
        <source>handshake</source>
        <translation>apretón de manos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="76"/>
        <source>clapping</source>
        <translation>aplausos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="77"/>
        <source>raising hands</source>
        <translation>manos levantadas</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="78"/>
        <source>waving hand</source>
        <translation>mano saludando</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="79"/>
        <source>folded hands</source>
        <translation>manos juntas</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="80"/>
        <source>flexed biceps</source>
        <translation>bíceps</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="81"/>
        <source>eyes</source>
        <translation>ojos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="82"/>
        <source>shrug</source>
        <translation>encogerse de hombros</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="83"/>
        <source>facepalm</source>
        <translation>mano en la cara</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="84"/>
        <source>raising hand</source>
        <translation>levantando la mano</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="85"/>
        <source>pointing right</source>
        <translation>señalando a la derecha</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="86"/>
        <source>pointing up</source>
        <translation>señalando arriba</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="87"/>
        <source>writing hand</source>
        <translation>mano escribiendo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="88"/>
        <source>red heart</source>
        <translation>corazón rojo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="89"/>
        <source>orange heart</source>
        <translation>corazón naranja</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="90"/>
        <source>yellow heart</source>
        <translation>corazón amarillo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="91"/>
        <source>green heart</source>
        <translation>corazón verde</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="92"/>
        <source>blue heart</source>
        <translation>corazón azul</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="93"/>
        <source>purple heart</source>
        <translation>corazón morado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="94"/>
        <source>black heart</source>
        <translation>corazón negro</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="95"/>
        <source>broken heart</source>
        <translation>corazón roto</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="96"/>
        <source>sparkles</source>
        <translation>destellos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="97"/>
        <source>fire</source>
        <translation>fuego</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="98"/>
        <source>star</source>
        <translation>estrella</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="99"/>
        <source>hundred points</source>
        <translation>cien puntos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="100"/>
        <source>check mark</source>
        <translation>marca de verificación</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="101"/>
        <source>cross mark</source>
        <translation>marca de cruz</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="102"/>
        <source>question mark</source>
        <translation>signo de interrogación</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="103"/>
        <source>exclamation mark</source>
        <translation>signo de exclamación</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="104"/>
        <source>warning</source>
        <translation>advertencia</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="105"/>
        <source>light bulb</source>
        <translation>bombilla</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="106"/>
        <source>speech balloon</source>
        <translation>bocadillo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="107"/>
        <source>party popper</source>
        <translation>confeti</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="108"/>
        <source>birthday cake</source>
        <translation>tarta de cumpleaños</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="109"/>
        <source>gift</source>
        <translation>regalo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="110"/>
        <source>dog</source>
        <translation>perro</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="111"/>
        <source>cat</source>
        <translation>gato</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="112"/>
        <source>mouse</source>
        <translation>ratón</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="113"/>
        <source>rabbit</source>
        <translation>conejo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="114"/>
        <source>fox</source>
        <translation>zorro</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="115"/>
        <source>bear</source>
        <translation>oso</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="116"/>
        <source>panda</source>
        <translation>panda</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="117"/>
        <source>frog</source>
        <translation>rana</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="118"/>
        <source>monkey</source>
        <translation>mono</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="119"/>
        <source>chicken</source>
        <translation>gallina</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="120"/>
        <source>penguin</source>
        <translation>pingüino</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="121"/>
        <source>butterfly</source>
        <translation>mariposa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="122"/>
        <source>turtle</source>
        <translation>tortuga</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="123"/>
        <source>octopus</source>
        <translation>pulpo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="124"/>
        <source>cherry blossom</source>
        <translation>flor de cerezo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="125"/>
        <source>sunflower</source>
        <translation>girasol</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="126"/>
        <source>tree</source>
        <translation>árbol</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="127"/>
        <source>four-leaf clover</source>
        <translation>trébol de cuatro hojas</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="128"/>
        <source>sun</source>
        <translation>sol</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="129"/>
        <source>moon</source>
        <translation>luna</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="130"/>
        <source>rainbow</source>
        <translation>arcoíris</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="131"/>
        <source>umbrella with rain</source>
        <translation>paraguas con lluvia</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="132"/>
        <source>snowflake</source>
        <translation>copo de nieve</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="133"/>
        <source>apple</source>
        <translation>manzana</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="134"/>
        <source>banana</source>
        <translation>plátano</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="135"/>
        <source>strawberry</source>
        <translation>fresa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="136"/>
        <source>watermelon</source>
        <translation>sandía</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="137"/>
        <source>avocado</source>
        <translation>aguacate</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="138"/>
        <source>tomato</source>
        <translation>tomate</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="139"/>
        <source>baguette</source>
        <translation>barra de pan</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="140"/>
        <source>cheese</source>
        <translation>queso</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="141"/>
        <source>pizza</source>
        <translation>pizza</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="142"/>
        <source>hamburger</source>
        <translation>hamburguesa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="143"/>
        <source>taco</source>
        <translation>taco</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="144"/>
        <source>paella</source>
        <translation>paella</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="145"/>
        <source>spaghetti</source>
        <translation>espaguetis</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="146"/>
        <source>sushi</source>
        <translation>sushi</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="147"/>
        <source>cake</source>
        <translation>pastel</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="148"/>
        <source>chocolate</source>
        <translation>chocolate</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="149"/>
        <source>doughnut</source>
        <translation>dónut</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="150"/>
        <source>coffee</source>
        <translation>café</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="151"/>
        <source>tea</source>
        <translation>té</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="152"/>
        <source>beer</source>
        <translation>cerveza</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="153"/>
        <source>wine</source>
        <translation>vino</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="154"/>
        <source>toast</source>
        <translation>brindis</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="155"/>
        <source>football</source>
        <translation>fútbol</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="156"/>
        <source>basketball</source>
        <translation>baloncesto</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="157"/>
        <source>tennis</source>
        <translation>tenis</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="158"/>
        <source>trophy</source>
        <translation>trofeo</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="159"/>
        <source>video game</source>
        <translation>videojuego</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="160"/>
        <source>die</source>
        <translation>dado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="161"/>
        <source>music</source>
        <translation>música</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="162"/>
        <source>guitar</source>
        <translation>guitarra</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="163"/>
        <source>cinema</source>
        <translation>cine</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="164"/>
        <source>books</source>
        <translation>libros</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="165"/>
        <source>airplane</source>
        <translation>avión</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="166"/>
        <source>car</source>
        <translation>coche</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="167"/>
        <source>bicycle</source>
        <translation>bicicleta</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="168"/>
        <source>house</source>
        <translation>casa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="169"/>
        <source>beach</source>
        <translation>playa</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="170"/>
        <source>alarm clock</source>
        <translation>despertador</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="171"/>
        <source>calendar</source>
        <translation>calendario</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="172"/>
        <source>laptop</source>
        <translation>portátil</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="173"/>
        <source>mobile phone</source>
        <translation>móvil</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="174"/>
        <source>paperclip</source>
        <translation>clip</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="175"/>
        <source>locked</source>
        <translation>candado</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="176"/>
        <source>rocket</source>
        <translation>cohete</translation>
    </message>
</context>
<context>
    <name>QShortcut</name>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="19"/>
        <source>Ctrl</source>
        <translation>Ctrl</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="19"/>
        <source>Shift</source>
        <translation>Mayús</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="20"/>
        <source>Alt</source>
        <translation>Alt</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="20"/>
        <source>Meta</source>
        <translation>Meta</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="21"/>
        <source>Up</source>
        <translation>Arriba</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="21"/>
        <source>Down</source>
        <translation>Abajo</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="22"/>
        <source>Left</source>
        <translation>Izquierda</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="22"/>
        <source>Right</source>
        <translation>Derecha</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="23"/>
        <source>PgUp</source>
        <translation>RePág</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="23"/>
        <source>PgDown</source>
        <translation>AvPág</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="24"/>
        <source>Home</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="24"/>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="25"/>
        <source>Del</source>
        <translation>Supr</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="25"/>
        <source>Ins</source>
        <translation>Insert</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="26"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="26"/>
        <source>Return</source>
        <translation>Intro</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="27"/>
        <source>Enter</source>
        <translation>Intro</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="27"/>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="28"/>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <location filename="../app/ui/languagemanager.cpp" line="28"/>
        <source>Backspace</source>
        <translation>Retroceso</translation>
    </message>
</context>
<context>
    <name>Tertulia::AccountDialog</name>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="400"/>
        <source>Your avatar: %1</source>
        <translation>Tu avatar: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="412"/>
        <source>That display name cannot be used: at most %1 characters, one line, no invisible formatting characters.</source>
        <translation>Ese nombre visible no se puede usar: como mucho %1 caracteres, en una línea, sin caracteres de formato invisibles.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="429"/>
        <source>Display name removed: people see your user name, %1.</source>
        <translation>Nombre visible quitado: los demás ven tu nombre de usuario, %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="430"/>
        <source>People now see you as %1.</source>
        <translation>Ahora los demás te ven como %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="454"/>
        <source>Account %1 on %2</source>
        <translation>Cuenta %1 en %2</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="455"/>
        <source>&amp;Devices</source>
        <translation>&amp;Dispositivos</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="456"/>
        <source>&amp;Password</source>
        <translation>&amp;Contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="457"/>
        <source>De&amp;lete account</source>
        <translation>E&amp;liminar la cuenta</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="458"/>
        <source>P&amp;rofile</source>
        <translation>&amp;Perfil</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="459"/>
        <source>Your display name is how people see you: any language, spaces allowed, up to %1 characters. Your user name, %2, stays the same and is shown beside it. Leave it empty to be shown as %2.</source>
        <translation>Tu nombre visible es cómo te ven los demás: cualquier idioma, con espacios, hasta %1 caracteres. Tu nombre de usuario, %2, no cambia y se muestra a su lado. Déjalo vacío para que te vean como %2.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="464"/>
        <source>Display &amp;name:</source>
        <translation>&amp;Nombre visible:</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="465"/>
        <source>Display name</source>
        <translation>Nombre visible</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="467"/>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Your picture is made from your initials. Uploading a photo is not available yet.</source>
        <translation type="vanished">Tu imagen se hace con tus iniciales. Todavía no se puede subir una foto.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="304"/>
        <source>Choose a picture</source>
        <translation>Elige una imagen</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="305"/>
        <source>Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</source>
        <translation>Imágenes (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="325"/>
        <source>%1 is not a picture this app can read.</source>
        <translation>%1 no es una imagen que esta aplicación sepa leer.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="336"/>
        <source>That picture cannot be used.</source>
        <translation>Esa imagen no se puede usar.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="367"/>
        <source>Picture removed: people see your initials again.</source>
        <translation>Imagen quitada: los demás vuelven a ver tus iniciales.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="368"/>
        <source>Your picture is saved: people see it beside your name.</source>
        <translation>Tu imagen está guardada: los demás la ven junto a tu nombre.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="378"/>
        <source>The picture is too large: this server takes pictures up to %1.</source>
        <translation>La imagen es demasiado grande: este servidor acepta imágenes de hasta %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="380"/>
        <source>The picture is too large for this server.</source>
        <translation>La imagen es demasiado grande para este servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="382"/>
        <source>The server refused the picture: it takes PNG, JPEG, GIF and WebP images.</source>
        <translation>El servidor rechazó la imagen: acepta imágenes PNG, JPEG, GIF y WebP.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="383"/>
        <source>The server refused the picture: %1</source>
        <translation>El servidor rechazó la imagen: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="386"/>
        <source>Too many picture changes. Try again in %1 s.</source>
        <translation>Demasiados cambios de imagen. Vuelve a intentarlo dentro de %1 s.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="387"/>
        <source>Too many picture changes. Try again in a moment.</source>
        <translation>Demasiados cambios de imagen. Vuelve a intentarlo en un momento.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="401"/>
        <source>Your avatar: your picture</source>
        <translation>Tu avatar: tu imagen</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="468"/>
        <source>Choose p&amp;icture…</source>
        <translation>Elegir &amp;imagen…</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="469"/>
        <source>A photo or image: its middle square is shown, round</source>
        <translation>Una foto o imagen: se muestra su cuadrado central, en un círculo</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="470"/>
        <source>Remo&amp;ve picture</source>
        <translation>&amp;Quitar la imagen</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="471"/>
        <source>Show your initials again</source>
        <translation>Volver a mostrar tus iniciales</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="472"/>
        <source>Without a picture, your initials are shown on your own colour.</source>
        <translation>Sin imagen, se muestran tus iniciales sobre tu propio color.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="474"/>
        <source>These devices are signed in as %1. Sign out any you do not recognise: it will need the password to come back.</source>
        <translation>Estos dispositivos tienen la sesión iniciada como %1. Cierra la sesión de los que no reconozcas: necesitarán la contraseña para volver.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="477"/>
        <source>Signed-in devices</source>
        <translation>Dispositivos con la sesión iniciada</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="478"/>
        <source>Sign out all o&amp;ther devices</source>
        <translation>Cerrar la sesión de &amp;todos los demás</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="479"/>
        <source>Every device but this one will need the password again</source>
        <translation>Todos los dispositivos menos este necesitarán de nuevo la contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="480"/>
        <source>Re&amp;fresh</source>
        <translation>Actuali&amp;zar</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="483"/>
        <source>Changing the password signs out every other device. This one stays signed in.</source>
        <translation>Al cambiar la contraseña se cierra la sesión en todos los demás dispositivos. En este sigue iniciada.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="484"/>
        <source>C&amp;urrent password:</source>
        <translation>Contraseña &amp;actual:</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="485"/>
        <source>Current password</source>
        <translation>Contraseña actual</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="486"/>
        <source>&amp;New password:</source>
        <translation>&amp;Nueva contraseña:</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="487"/>
        <source>New password</source>
        <translation>Nueva contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="488"/>
        <source>At least %1 characters</source>
        <translation>Al menos %1 caracteres</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="489"/>
        <source>R&amp;epeat the new password:</source>
        <translation>&amp;Repite la nueva contraseña:</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="490"/>
        <source>New password again</source>
        <translation>Nueva contraseña otra vez</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="491"/>
        <source>&amp;Change password</source>
        <translation>Ca&amp;mbiar la contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="493"/>
        <source>Deleting your account cannot be undone.</source>
        <translation>Eliminar tu cuenta no se puede deshacer.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="494"/>
        <source>You will be signed out on every device. Your messages stay in their rooms under your name, and nobody will be able to use the name %1 on this server again.</source>
        <translation>Se cerrará tu sesión en todos los dispositivos. Tus mensajes se quedan en sus salas con tu nombre, y nadie podrá volver a usar el nombre %1 en este servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="497"/>
        <source>Pass&amp;word:</source>
        <translation>Contra&amp;seña:</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="498"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="499"/>
        <source>Delete &amp;account…</source>
        <translation>&amp;Eliminar la cuenta…</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="500"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="502"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="517"/>
        <source>Sign &amp;out this device</source>
        <translation>Cerrar la &amp;sesión de este dispositivo</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="517"/>
        <source>Sign &amp;out the selected device</source>
        <translation>Cerrar la &amp;sesión del dispositivo elegido</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="568"/>
        <source>Signed out: %1.</source>
        <translation>Sesión cerrada: %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="568"/>
        <source>a device</source>
        <translation>un dispositivo</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="582"/>
        <source>Other devices signed out: %1.</source>
        <translation>Otros dispositivos con la sesión cerrada: %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="596"/>
        <source>Type your current password.</source>
        <translation>Escribe tu contraseña actual.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="599"/>
        <source>The new password must have at least %1 characters.</source>
        <translation>La nueva contraseña debe tener al menos %1 caracteres.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="602"/>
        <source>The new password and its repetition differ.</source>
        <translation>La nueva contraseña y su repetición no coinciden.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="626"/>
        <source>Your password was changed. Other devices signed out: %1.</source>
        <translation>Tu contraseña ha cambiado. Otros dispositivos con la sesión cerrada: %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="640"/>
        <source>Type your password to delete the account.</source>
        <translation>Escribe tu contraseña para eliminar la cuenta.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="647"/>
        <source>Delete the account?</source>
        <translation>¿Eliminar la cuenta?</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="648"/>
        <source>Delete your account %1 on %2?</source>
        <translation>¿Eliminar tu cuenta %1 en %2?</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="651"/>
        <source>This cannot be undone. You will be signed out on every device. Your messages stay in their rooms under your name, and nobody will be able to use the name %1 again.</source>
        <translation>No se puede deshacer. Se cerrará tu sesión en todos los dispositivos. Tus mensajes se quedan en sus salas con tu nombre, y nadie podrá volver a usar el nombre %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="655"/>
        <source>&amp;Delete the account</source>
        <translation>&amp;Eliminar la cuenta</translation>
    </message>
    <message>
        <location filename="../app/ui/accountdialog.cpp" line="656"/>
        <source>&amp;Keep it</source>
        <translation>&amp;Conservarla</translation>
    </message>
</context>
<context>
    <name>Tertulia::AdminConsole</name>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="53"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="53"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="58"/>
        <location filename="../app/ui/adminconsole.cpp" line="115"/>
        <location filename="../app/ui/adminconsole.cpp" line="133"/>
        <location filename="../app/ui/adminconsole.cpp" line="299"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="59"/>
        <location filename="../app/ui/adminconsole.cpp" line="425"/>
        <location filename="../app/ui/adminconsole.cpp" line="1032"/>
        <source>(signing in)</source>
        <translation>(iniciando sesión)</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="60"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="61"/>
        <source>Protocol</source>
        <translation>Protocolo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="63"/>
        <source>Connected since</source>
        <translation>Conectado desde</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="65"/>
        <source>Round trip</source>
        <translation>Ida y vuelta</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="69"/>
        <source>Waiting to be sent</source>
        <translation>Pendiente de envío</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="73"/>
        <location filename="../app/ui/adminconsole.cpp" line="775"/>
        <source>Rooms</source>
        <translation>Salas</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="82"/>
        <location filename="../app/ui/adminconsole.cpp" line="192"/>
        <location filename="../app/ui/adminconsole.cpp" line="208"/>
        <source>Room</source>
        <translation>Sala</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="84"/>
        <source>Private</source>
        <translation>Privada</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="86"/>
        <source>Members</source>
        <translation>Miembros</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="87"/>
        <location filename="../app/ui/adminconsole.cpp" line="118"/>
        <location filename="../app/ui/adminconsole.cpp" line="135"/>
        <source>Online</source>
        <translation>Conectados</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="88"/>
        <location filename="../app/ui/adminconsole.cpp" line="136"/>
        <location filename="../app/ui/adminconsole.cpp" line="774"/>
        <location filename="../app/ui/adminconsole.cpp" line="811"/>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="89"/>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="134"/>
        <source>Administrator</source>
        <translation>Administrador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="137"/>
        <source>Signed-in devices</source>
        <translation>Dispositivos con la sesión iniciada</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="138"/>
        <source>Disabled</source>
        <translation>Desactivada</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="146"/>
        <source>changed a role</source>
        <translation>cambió un rol</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="147"/>
        <source>transferred ownership</source>
        <translation>transfirió la propiedad</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="148"/>
        <source>removed from the room</source>
        <translation>quitó de la sala</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="149"/>
        <source>banned</source>
        <translation>vetó</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="150"/>
        <source>lifted a ban</source>
        <translation>levantó un veto</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="151"/>
        <source>muted</source>
        <translation>silenció</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="152"/>
        <source>lifted a mute</source>
        <translation>levantó un silencio</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="153"/>
        <source>disconnected</source>
        <translation>desconectó</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="154"/>
        <source>signed out everywhere</source>
        <translation>cerró la sesión en todas partes</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="155"/>
        <source>reset the password</source>
        <translation>restableció la contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="156"/>
        <source>changed administrator</source>
        <translation>cambió administrador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="157"/>
        <source>disabled the account</source>
        <translation>desactivó la cuenta</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="158"/>
        <source>enabled the account</source>
        <translation>activó la cuenta</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="123"/>
        <location filename="../app/ui/adminconsole.cpp" line="173"/>
        <source>until %1</source>
        <translation>hasta %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="75"/>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="83"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="85"/>
        <source>Archived</source>
        <translation>Archivada</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="90"/>
        <source>Messages/s</source>
        <translation>Mensajes/s</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="93"/>
        <source>Messages per second over the last minute</source>
        <translation>Mensajes por segundo en el último minuto</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="96"/>
        <source>Topic</source>
        <translation>Tema</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="103"/>
        <source>owner</source>
        <translation>propietario</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="105"/>
        <source>moderator</source>
        <translation>moderador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="107"/>
        <source>member</source>
        <translation>miembro</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="116"/>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="119"/>
        <source>Sanction</source>
        <translation>Sanción</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="124"/>
        <source>until lifted</source>
        <translation>hasta que se levante</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="125"/>
        <source>banned, %1</source>
        <translation>vetado, %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="125"/>
        <source>muted, %1</source>
        <translation>silenciado, %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="182"/>
        <location filename="../app/ui/adminconsole.cpp" line="300"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="184"/>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="185"/>
        <source>Did</source>
        <translation>Hizo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="191"/>
        <source>To</source>
        <translation>A quién</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="194"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="195"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="209"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="212"/>
        <source>refused</source>
        <translation>rechazado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="215"/>
        <source>Sender</source>
        <translation>Remitente</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="216"/>
        <source>Received on</source>
        <translation>Recibido en</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="218"/>
        <source>Received</source>
        <translation>Recibido</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="220"/>
        <source>Delivered to</source>
        <translation>Entregado a</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="222"/>
        <source>%1 (%2 queued)</source>
        <translation>%1 (%2 en cola)</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="227"/>
        <source>Offline</source>
        <translation>Desconectados</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="228"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="230"/>
        <source>Trace id</source>
        <translation>Id. de traza</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="238"/>
        <source>received</source>
        <translation>recibido</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="239"/>
        <source>validated</source>
        <translation>validado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="240"/>
        <source>stored</source>
        <translation>guardado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="241"/>
        <source>published</source>
        <translation>publicado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="242"/>
        <source>routed</source>
        <translation>encaminado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="243"/>
        <source>delivered</source>
        <translation>entregado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="244"/>
        <source>answered</source>
        <translation>respondido</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="267"/>
        <source>Message %1 in #%2 from %3</source>
        <translation>Mensaje %1 en #%2 de %3</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="268"/>
        <source>A message refused in #%1 from %2</source>
        <translation>Un mensaje rechazado en #%1 de %2</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="272"/>
        <source>Trace %1 on node %2: this node&apos;s part of a message received on node %3. That node&apos;s part has its earlier stages; times here are from routing.</source>
        <translation>Traza %1 en el nodo %2: la parte de este nodo de un mensaje recibido en el nodo %3. La parte de ese nodo tiene las etapas anteriores; aquí los tiempos cuentan desde el encaminamiento.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="276"/>
        <source>Trace %1 on node %2, sent on connection %3.</source>
        <translation>Traza %1 en el nodo %2, enviado por la conexión %3.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="281"/>
        <source>A retry of a message already stored.</source>
        <translation>Un reintento de un mensaje ya guardado.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="283"/>
        <source>It failed: %1</source>
        <translation>Falló: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="290"/>
        <source>not reached</source>
        <translation>no alcanzado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="295"/>
        <source>Sessions it was handed to: %1</source>
        <translation>Sesiones a las que se entregó: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="299"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="299"/>
        <source>How</source>
        <translation>Cómo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="300"/>
        <source>Shown</source>
        <translation>Mostrado</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="303"/>
        <source>queued behind %1</source>
        <translation>en cola detrás de %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="304"/>
        <source>written</source>
        <translation>escrito</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="313"/>
        <source>The first %1 are listed.</source>
        <translation>Se muestran las primeras %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="315"/>
        <source>Members offline: %1</source>
        <translation>Miembros desconectados: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="322"/>
        <source>and %1 more</source>
        <translation>y %1 más</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="323"/>
        <source>They get it when they resume, or from the history.</source>
        <translation>Lo reciben al reanudar la conexión, o desde el historial.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="424"/>
        <source>Disconnect</source>
        <translation>Desconectar</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="425"/>
        <source>Disconnect %1 (%2)? They see this reason:</source>
        <translation>¿Desconectar a %1 (%2)? Verá este motivo:</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="427"/>
        <source>disconnected by an administrator</source>
        <translation>desconectado por un administrador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="431"/>
        <source>Sign out everywhere</source>
        <translation>Cerrar la sesión en todas partes</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="432"/>
        <source>Sign %1 out on every device? Their open connections close, and they must sign in again with their password.</source>
        <translation>¿Cerrar la sesión de %1 en todos sus dispositivos? Sus conexiones abiertas se cierran y tendrá que volver a iniciar sesión con su contraseña.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="439"/>
        <source>Disable account</source>
        <translation>Desactivar la cuenta</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="440"/>
        <source>Disable %1? They are signed out on every device and cannot sign in until an administrator enables the account again. Their rooms and messages stay.</source>
        <translation>¿Desactivar a %1? Se cierra su sesión en todos sus dispositivos y no puede iniciar sesión hasta que un administrador vuelva a activar la cuenta. Sus salas y mensajes se conservan.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="447"/>
        <source>Make %1 an administrator of this server? They can see every connection, room and user, disable accounts, reset passwords, moderate every room and name other administrators.</source>
        <translation>¿Hacer a %1 administrador de este servidor? Podrá ver todas las conexiones, salas y usuarios, desactivar cuentas, restablecer contraseñas, moderar todas las salas y nombrar a otros administradores.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="449"/>
        <source>Take the administrator rights of %1 away? They keep their account and rooms. The last administrator cannot be removed.</source>
        <translation>¿Quitarle a %1 los derechos de administrador? Conserva su cuenta y sus salas. No se puede quitar al último administrador.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="451"/>
        <source>Make administrator</source>
        <translation>Hacer administrador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="451"/>
        <source>Remove administrator</source>
        <translation>Quitar administrador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="475"/>
        <source>Transfer ownership</source>
        <translation>Transferir la propiedad</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="476"/>
        <source>Make %1 the owner of #%2? Its owner now becomes a moderator; only the new owner (or an administrator) can hand it over again.</source>
        <translation>¿Hacer a %1 propietario de #%2? Su propietario actual pasa a ser moderador; solo el nuevo propietario (o un administrador) puede volver a cederla.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="699"/>
        <source>Select a trace, or find a message by its room and number.</source>
        <translation>Elige una traza, o busca un mensaje por su sala y su número.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="718"/>
        <source>Message %1 in #%2: this message was not traced, or its trace is older than the ring.</source>
        <translation>Mensaje %1 en #%2: este mensaje no se trazó, o su traza es más antigua que el anillo.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="755"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="756"/>
        <source>Connections chart</source>
        <translation>Gráfica de conexiones</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="757"/>
        <source>Messages per second chart</source>
        <translation>Gráfica de mensajes por segundo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="758"/>
        <source>Delivery latency chart</source>
        <translation>Gráfica de latencia de entrega</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="759"/>
        <source>Ping round-trip chart</source>
        <translation>Gráfica de ida y vuelta del ping</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="773"/>
        <source>Server administration: %1</source>
        <translation>Administración del servidor: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="776"/>
        <source>Users</source>
        <translation>Usuarios</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="777"/>
        <source>Activity</source>
        <translation>Actividad</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="778"/>
        <source>Audit log</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="779"/>
        <source>Traces</source>
        <translation>Trazas</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="780"/>
        <source>What happened to the messages this server traced, newest first: the time of each stage, who had it and how, and who was offline. Tracing is off unless the server is started with it (docs/administration.md, Delivery traces).</source>
        <translation>Qué pasó con los mensajes que este servidor trazó, los más recientes primero: el momento de cada etapa, quién lo recibió y cómo, y quién estaba desconectado. El trazado está desactivado salvo que el servidor se inicie con él (docs/administration.md, Delivery traces).</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="783"/>
        <source>&amp;Find message in room:</source>
        <translation>&amp;Buscar mensaje en la sala:</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="784"/>
        <source>room</source>
        <translation>sala</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="785"/>
        <source>number </source>
        <translation>número </translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="786"/>
        <source>Fi&amp;nd</source>
        <translation>B&amp;uscar</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="794"/>
        <source>What moderators and administrators did, newest first, as the server recorded it.</source>
        <translation>Lo que hicieron moderadores y administradores, lo más reciente primero, tal como lo registró el servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="795"/>
        <source>&amp;Older entries</source>
        <translation>Entradas más &amp;antiguas</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="796"/>
        <source>&amp;Reset password…</source>
        <translation>&amp;Restablecer la contraseña…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="797"/>
        <source>Re&amp;move from room…</source>
        <translation>&amp;Quitar de una sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="798"/>
        <source>&amp;Ban from room…</source>
        <translation>&amp;Vetar en una sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="799"/>
        <source>&amp;Disconnect…</source>
        <translation>&amp;Desconectar…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="800"/>
        <source>&amp;Transfer ownership…</source>
        <translation>&amp;Transferir la propiedad…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="801"/>
        <source>M&amp;ute…</source>
        <translation>&amp;Silenciar…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="802"/>
        <source>Un&amp;mute</source>
        <translation>&amp;Quitar el silencio</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="803"/>
        <source>Un&amp;ban</source>
        <translation>&amp;Levantar el veto</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="804"/>
        <source>Room &amp;settings…</source>
        <translation>&amp;Configuración de la sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="806"/>
        <source>&amp;Sign out everywhere…</source>
        <translation>Cerrar la &amp;sesión en todas partes…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="807"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="808"/>
        <source>From the server&apos;s own metrics, every %1 s over the last %2 minutes.</source>
        <translation>De las propias métricas del servidor, cada %1 s durante los últimos %2 minutos.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="811"/>
        <source>Messages per second</source>
        <translation>Mensajes por segundo</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="811"/>
        <source>Delivery latency (mean)</source>
        <translation>Latencia de entrega (media)</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="812"/>
        <source>Ping round trip (mean)</source>
        <translation>Ida y vuelta del ping (media)</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="852"/>
        <source>Remove &amp;administrator…</source>
        <translation>Quitar a&amp;dministrador…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="852"/>
        <source>Make &amp;administrator…</source>
        <translation>Hacer a&amp;dministrador…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="856"/>
        <source>&amp;Enable</source>
        <translation>&amp;Activar</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="856"/>
        <source>D&amp;isable…</source>
        <translation>Desac&amp;tivar…</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="862"/>
        <source>Make membe&amp;r</source>
        <translation>Hacer miemb&amp;ro</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="862"/>
        <source>Make m&amp;oderator</source>
        <translation>Hacer m&amp;oderador</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="967"/>
        <source>Updated at %1.</source>
        <translation>Actualizado a las %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1032"/>
        <source>Disconnected %1 (%2).</source>
        <translation>Desconectado %1 (%2).</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1074"/>
        <source>Disabled %1.</source>
        <translation>Se desactivó %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1074"/>
        <source>Enabled %1.</source>
        <translation>Se activó %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1091"/>
        <source>Made %1 an administrator.</source>
        <translation>%1 es ahora administrador.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1091"/>
        <source>%1 is no longer an administrator.</source>
        <translation>%1 ya no es administrador.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1108"/>
        <source>Set a new password for %1; they were signed out everywhere.</source>
        <translation>Nueva contraseña para %1; se cerró su sesión en todas partes.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1128"/>
        <source>Banned %1 from #%2.</source>
        <translation>%1 vetado en #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1128"/>
        <source>Removed %1 from #%2.</source>
        <translation>%1 quitado de #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1169"/>
        <source>Select a room to see its members.</source>
        <translation>Elige una sala para ver sus miembros.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1170"/>
        <source>Members of #%1, and who is banned from it:</source>
        <translation>Miembros de #%1, y quién está vetado en ella:</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1189"/>
        <source>Made %1 a moderator of #%2.</source>
        <translation>%1 es ahora moderador de #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1190"/>
        <source>Made %1 a member of #%2.</source>
        <translation>%1 es ahora miembro de #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1214"/>
        <source>Saved the settings of #%1.</source>
        <translation>Se ha guardado la configuración de #%1.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1218"/>
        <source>Deleted #%1; its messages are kept.</source>
        <translation>Se ha eliminado #%1; sus mensajes se conservan.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1219"/>
        <source>Deleted #%1 and its messages.</source>
        <translation>Se ha eliminado #%1 y sus mensajes.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1237"/>
        <source>Made %1 the owner of #%2.</source>
        <translation>%1 es ahora propietario de #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1251"/>
        <source>Muted %1 in #%2.</source>
        <translation>%1 está silenciado en #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1262"/>
        <source>Lifted the ban of %1 from #%2.</source>
        <translation>Levantado el veto de %1 en #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1263"/>
        <source>Lifted the mute of %1 in #%2.</source>
        <translation>Quitado el silencio de %1 en #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/adminconsole.cpp" line="1283"/>
        <source>Signed %1 out everywhere.</source>
        <translation>Sesión de %1 cerrada en todas partes.</translation>
    </message>
</context>
<context>
    <name>Tertulia::CertificateDialog</name>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="107"/>
        <source>Fingerprint of the certificate presented now</source>
        <translation>Huella del certificado presentado ahora</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="111"/>
        <source>Certificate: %1, issued by %2</source>
        <translation>Certificado: %1, emitido por %2</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="111"/>
        <location filename="../app/ui/certificatedialog.cpp" line="112"/>
        <source>no name</source>
        <translation>sin nombre</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="114"/>
        <source>Valid from %1 until %2</source>
        <translation>Válido desde %1 hasta %2</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="117"/>
        <source>What the system&apos;s check said: %1</source>
        <translation>Lo que dijo la comprobación del sistema: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="121"/>
        <source>Check this chat&apos;s certificate</source>
        <translation>Comprueba el certificado de esta charla</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="122"/>
        <source>First connection to %1</source>
        <translation>Primera conexión con %1</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="124"/>
        <source>&lt;p&gt;This server proves who it is with a certificate that no certificate authority vouches for. That is normal for a chat someone hosts on their own computer, but it means Tertulia cannot tell by itself that it is talking to that computer and not to someone else on the network.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Nothing has been sent to it yet.&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;Este servidor demuestra quién es con un certificado que no avala ninguna autoridad de certificación. Es lo normal en una charla que alguien abre en su propio equipo, pero significa que Tertulia no puede saber por sí sola que está hablando con ese equipo y no con otra persona de la red.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Todavía no se le ha enviado nada.&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="128"/>
        <source>Its fingerprint (SHA-256):</source>
        <translation>Su huella (SHA-256):</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="129"/>
        <source>&lt;p&gt;Compare it with the fingerprint on the host&apos;s screen (&lt;i&gt;Share your chat&lt;/i&gt;), or ask the host to read out the first groups. If they match, trust it: Tertulia remembers it for %1 and warns you if it ever changes.&lt;/p&gt;&lt;p&gt;Next time, use the host&apos;s link or QR code, or pick the chat under “On your network”: they carry the fingerprint, so there is nothing to compare.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Compárala con la huella que aparece en la pantalla del anfitrión (&lt;i&gt;Comparte tu charla&lt;/i&gt;), o pide al anfitrión que te lea los primeros grupos. Si coinciden, confía en él: Tertulia lo recordará para %1 y te avisará si alguna vez cambia.&lt;/p&gt;&lt;p&gt;La próxima vez, usa el enlace o el código QR del anfitrión, o elige la charla en «En tu red»: llevan la huella, así que no hay nada que comparar.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="134"/>
        <source>&amp;Trust and connect</source>
        <translation>&amp;Confiar y conectar</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="135"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="139"/>
        <source>The certificate has changed</source>
        <translation>El certificado ha cambiado</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="141"/>
        <source>%1 is not the server Tertulia knows</source>
        <translation>%1 no es el servidor que Tertulia conoce</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="142"/>
        <source>%1 is not the server that was announced</source>
        <translation>%1 no es el servidor que se anunció</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="144"/>
        <source>&lt;p&gt;The server at this address presented a different certificate from the one Tertulia trusts for it, so the connection was stopped.&lt;/p&gt;</source>
        <translation>&lt;p&gt;El servidor de esta dirección ha presentado un certificado distinto del que Tertulia reconoce para él, así que se ha detenido la conexión.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="146"/>
        <source>&lt;p&gt;The server at this address presented a different certificate from the one named by the link, QR code or network announcement you used, so the connection was stopped.&lt;/p&gt;</source>
        <translation>&lt;p&gt;El servidor de esta dirección ha presentado un certificado distinto del que indicaba el enlace, el código QR o el anuncio de la red que usaste, así que se ha detenido la conexión.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="148"/>
        <source>&lt;p&gt;&lt;b&gt;Nothing was sent to it: not your password and not your sign-in.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;What may have happened:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;The host moved the chat to another computer, reinstalled Tertulia or deleted its profile, and the chat made a new certificate.&lt;/li&gt;&lt;li&gt;Another device now has this address (the network gave it to someone else).&lt;/li&gt;&lt;li&gt;Someone on the network is trying to intercept the connection.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;No se le ha enviado nada: ni tu contraseña ni tu sesión.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Qué puede haber pasado:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;El anfitrión ha llevado la charla a otro equipo, ha reinstalado Tertulia o ha borrado su perfil, y la charla ha creado un certificado nuevo.&lt;/li&gt;&lt;li&gt;Otro dispositivo tiene ahora esta dirección (la red se la ha dado a otro).&lt;/li&gt;&lt;li&gt;Alguien en la red está intentando interceptar la conexión.&lt;/li&gt;&lt;/ul&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="155"/>
        <source>Trusted until now (SHA-256):</source>
        <translation>Reconocido hasta ahora (SHA-256):</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="155"/>
        <source>Announced for it (SHA-256):</source>
        <translation>Anunciado para él (SHA-256):</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="158"/>
        <source>Presented now (SHA-256):</source>
        <translation>Presentado ahora (SHA-256):</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="159"/>
        <source>&lt;p&gt;&lt;b&gt;To accept a legitimately new certificate:&lt;/b&gt; ask the host to open &lt;i&gt;Share your chat&lt;/i&gt; and read you the fingerprint shown there, or check it on their screen. Only if it is exactly the one presented now, tick the box and accept it. If in doubt, keep it blocked and try again later, or from another network.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Para aceptar un certificado nuevo legítimo:&lt;/b&gt; pide al anfitrión que abra &lt;i&gt;Comparte tu charla&lt;/i&gt; y te lea la huella que aparece allí, o compruébala en su pantalla. Solo si es exactamente la que se presenta ahora, marca la casilla y acéptalo. Si tienes dudas, mantenlo bloqueado y vuelve a intentarlo más tarde, o desde otra red.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="163"/>
        <source>I &amp;compared the new fingerprint with the host&apos;s, and it is the same</source>
        <translation>He &amp;comparado la huella nueva con la del anfitrión y es la misma</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="164"/>
        <source>&amp;Accept the new certificate</source>
        <translation>&amp;Aceptar el certificado nuevo</translation>
    </message>
    <message>
        <location filename="../app/ui/certificatedialog.cpp" line="165"/>
        <source>&amp;Keep blocked</source>
        <translation>&amp;Mantener bloqueado</translation>
    </message>
</context>
<context>
    <name>Tertulia::ChatPage</name>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="141"/>
        <location filename="../app/ui/chatpage.cpp" line="698"/>
        <source>private</source>
        <translation>privada</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="143"/>
        <source>not joined</source>
        <translation>sin unirte</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="145"/>
        <source>%1 unread</source>
        <translation>%1 sin leer</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="150"/>
        <location filename="../app/ui/chatpage.cpp" line="702"/>
        <source>members: %1</source>
        <translation>miembros: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="166"/>
        <source>%1 (typing…)</source>
        <translation>%1 (escribiendo…)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="166"/>
        <source>%1 (you)</source>
        <translation>%1 (tú)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="183"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="188"/>
        <source>, typing</source>
        <translation>, escribiendo</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="516"/>
        <source>%1 invited you to the private room #%2. Open it in the room list to join.</source>
        <translation>%1 te ha invitado a la sala privada #%2. Ábrela en la lista de salas para unirte.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="593"/>
        <source>Rooms</source>
        <translation>Salas</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="594"/>
        <source>&amp;New room…</source>
        <translation>&amp;Nueva sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="595"/>
        <source>Create a room (Ctrl+N)</source>
        <translation>Crear una sala (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="596"/>
        <source>&amp;Join…</source>
        <translation>&amp;Unirse…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="597"/>
        <source>Join a room by name (Ctrl+J)</source>
        <translation>Unirse a una sala por su nombre (Ctrl+J)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="598"/>
        <source>&amp;Members</source>
        <translation>&amp;Miembros</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="599"/>
        <source>Members</source>
        <translation>Miembros</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="600"/>
        <source>Loading older messages…</source>
        <translation>Cargando mensajes anteriores…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="602"/>
        <source>Invite someone to this private room</source>
        <translation>Invitar a alguien a esta sala privada</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="592"/>
        <source>R&amp;ooms</source>
        <translation>Sa&amp;las</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="136"/>
        <source>direct message</source>
        <translation>mensaje directo</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="147"/>
        <source>mentions of you: %1</source>
        <translation>menciones de ti: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="149"/>
        <location filename="../app/ui/chatpage.cpp" line="713"/>
        <source>muted</source>
        <translation>silenciada</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="165"/>
        <source>%1 (@%2)</source>
        <translation>%1 (@%2)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="169"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="171"/>
        <source>%1 · muted</source>
        <translation>%1 · silenciado</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="182"/>
        <source>%1 (user name: %2)</source>
        <translation>%1 (nombre de usuario: %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="185"/>
        <source>, %1</source>
        <translation>, %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="187"/>
        <source>, muted</source>
        <translation>, silenciado</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="210"/>
        <source>%1, %2: %3</source>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="212"/>
        <source>This message was deleted</source>
        <translation>Se eliminó este mensaje</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="219"/>
        <source>(edited %1)</source>
        <translation>(editado %1)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="221"/>
        <source>(in reply to %1)</source>
        <translation>(en respuesta a %1)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="228"/>
        <source>(reactions: %1)</source>
        <translation>(reacciones: %1)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="231"/>
        <source>(sending)</source>
        <translation>(enviándose)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="233"/>
        <source>(not sent: %1)</source>
        <translation>(no enviado: %1)</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="416"/>
        <source>%1 deleted #%2. Its messages are kept for the server&apos;s administrators.</source>
        <translation>%1 ha eliminado #%2. Sus mensajes se conservan para los administradores del servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="418"/>
        <source>%1 deleted #%2 and its messages.</source>
        <translation>%1 ha eliminado #%2 y sus mensajes.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="601"/>
        <source>&amp;Invite…</source>
        <translation>&amp;Invitar…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="603"/>
        <source>M&amp;ute this room</source>
        <translation>Silencia&amp;r esta sala</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="604"/>
        <source>Notify only when someone mentions you; the room still counts what is unread</source>
        <translation>Avisar solo cuando alguien te mencione; la sala sigue contando lo no leído</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="605"/>
        <location filename="../app/ui/chatpage.cpp" line="757"/>
        <source>Room se&amp;ttings…</source>
        <translation>Con&amp;figuración de la sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="606"/>
        <source>Join &amp;this room</source>
        <translation>Unirme a es&amp;ta sala</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="607"/>
        <source>Pick a room on the left, or create one to start talking.</source>
        <translation>Elige una sala a la izquierda, o crea una para empezar a hablar.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="608"/>
        <source>Create a room</source>
        <translation>Crear una sala</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="609"/>
        <source>Join a room…</source>
        <translation>Unirse a una sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="610"/>
        <source>Dismiss</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="611"/>
        <source>Dismiss the keychain notice</source>
        <translation>Cerrar el aviso del llavero</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="612"/>
        <source>Who is typing</source>
        <translation>Quién está escribiendo</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="670"/>
        <source>No room selected</source>
        <translation>Ninguna sala elegida</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="688"/>
        <source>Address: #%1</source>
        <translation>Dirección: #%1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="692"/>
        <source>Private room: only invited people can join</source>
        <translation>Sala privada: solo pueden unirse las personas invitadas</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="693"/>
        <source>Private room</source>
        <translation>Sala privada</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="696"/>
        <source>direct message with %1</source>
        <translation>mensaje directo con %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="700"/>
        <source>archived</source>
        <translation>archivada</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="704"/>
        <source>created by %1</source>
        <translation>creada por %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="720"/>
        <source>You left #%1. Join it again to read and write messages.</source>
        <translation>Saliste de #%1. Vuelve a unirte para leer y escribir mensajes.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="721"/>
        <source>You are not in #%1 yet. Join it to read and write messages.</source>
        <translation>Todavía no estás en #%1. Únete para leer y escribir mensajes.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="744"/>
        <source>&amp;Mute notifications</source>
        <translation>&amp;Silenciar notificaciones</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="749"/>
        <source>Mark as &amp;read</source>
        <translation>Marcar como &amp;leída</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="765"/>
        <source>&amp;Bans and mutes…</source>
        <translation>&amp;Vetos y silencios…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="775"/>
        <source>#%1 is archived: you can read and search it, but nobody can write in it until its owner unarchives it.</source>
        <translation>#%1 está archivada: puedes leerla y buscar en ella, pero nadie puede escribir hasta que su propietario la desarchive.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="793"/>
        <source>You are muted in #%1: you can read, but not write.</source>
        <translation>Estás silenciado en #%1: puedes leer, pero no escribir.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="794"/>
        <source>You are muted in #%1 until %2: you can read, but not write.</source>
        <translation>Estás silenciado en #%1 hasta %2: puedes leer, pero no escribir.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="797"/>
        <source>%1 muted you in #%2: you can read, but not write.</source>
        <translation>%1 te silenció en #%2: puedes leer, pero no escribir.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="798"/>
        <source>%1 muted you in #%2 until %3: you can read, but not write.</source>
        <translation>%1 te silenció en #%2 hasta %3: puedes leer, pero no escribir.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="800"/>
        <source>Reason: %1</source>
        <translation>Motivo: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="815"/>
        <source>You were removed from #%1 by %2.</source>
        <translation>%2 te quitó de #%1.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="816"/>
        <source>You were removed from #%1 by %2: %3</source>
        <translation>%2 te quitó de #%1: %3</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="821"/>
        <source>You were banned from #%1 by %2.</source>
        <translation>%2 te vetó en #%1.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="822"/>
        <source>You were banned from #%1 by %2: %3</source>
        <translation>%2 te vetó en #%1: %3</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="825"/>
        <source>You were banned from #%1 by %2 until %3.</source>
        <translation>%2 te vetó en #%1 hasta %3.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="826"/>
        <source>You were banned from #%1 by %2 until %3: %4</source>
        <translation>%2 te vetó en #%1 hasta %3: %4</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="830"/>
        <source>%1 lifted your ban from #%2: you may join it again.</source>
        <translation>%1 levantó tu veto en #%2: puedes volver a unirte.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="834"/>
        <source>%1 muted you in #%2.</source>
        <translation>%1 te silenció en #%2.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="835"/>
        <source>%1 muted you in #%2 until %3.</source>
        <translation>%1 te silenció en #%2 hasta %3.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="837"/>
        <source>%1 unmuted you in #%2: you can write again.</source>
        <translation>%1 te devolvió la voz en #%2: puedes volver a escribir.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="854"/>
        <source>M&amp;ention %1</source>
        <translation>M&amp;encionar a %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="862"/>
        <source>Me&amp;ssage %1</source>
        <translation>Escri&amp;bir a %1</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="875"/>
        <source>Make &amp;moderator</source>
        <translation>Hacer &amp;moderador</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="879"/>
        <source>Make &amp;member</source>
        <translation>Hacer &amp;miembro</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="883"/>
        <source>&amp;Transfer ownership…</source>
        <translation>&amp;Transferir la propiedad…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="887"/>
        <source>&amp;Remove from room</source>
        <translation>&amp;Quitar de la sala</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="891"/>
        <source>&amp;Ban…</source>
        <translation>&amp;Vetar…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="894"/>
        <source>M&amp;ute…</source>
        <translation>&amp;Silenciar…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="898"/>
        <source>U&amp;nmute</source>
        <translation>Devolver la &amp;voz</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="982"/>
        <source>Transfer ownership of #%1?</source>
        <translation>¿Transferir la propiedad de #%1?</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="983"/>
        <source>Make %1 the owner of #%2?</source>
        <translation>¿Hacer a %1 propietario de #%2?</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="984"/>
        <source>You become a moderator. Only %1 can give the room back to you.</source>
        <translation>Pasas a ser moderador. Solo %1 podrá devolverte la sala.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="985"/>
        <source>&amp;Transfer</source>
        <translation>&amp;Transferir</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1107"/>
        <source>The link’s room #%1 cannot be opened. %2</source>
        <translation>No se puede abrir la sala #%1 del enlace. %2</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1122"/>
        <source>There is no user “%1” to write to.</source>
        <translation>No hay ningún usuario «%1» a quien escribir.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1123"/>
        <source>The conversation with %1 cannot be opened. %2</source>
        <translation>No se puede abrir la conversación con %1. %2</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1149"/>
        <source>New direct message</source>
        <translation>Nuevo mensaje directo</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1150"/>
        <source>The user name of the person to write to:</source>
        <translation>El nombre de usuario de la persona a quien escribir:</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1151"/>
        <source>&amp;Message</source>
        <translation>&amp;Escribir</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1168"/>
        <source>A direct conversation cannot be left: it stays between you and %1.</source>
        <translation>No se puede dejar una conversación directa: queda entre %1 y tú.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1174"/>
        <location filename="../app/ui/chatpage.cpp" line="1175"/>
        <source>Leave #%1?</source>
        <translation>¿Dejar #%1?</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1177"/>
        <source>It is a private room: you will need a new invitation to come back.</source>
        <translation>Es una sala privada: para volver necesitarás una nueva invitación.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1178"/>
        <source>You can join it again at any time from the room list.</source>
        <translation>Puedes volver a unirte cuando quieras desde la lista de salas.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1179"/>
        <source>&amp;Leave</source>
        <translation>&amp;Dejar la sala</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1224"/>
        <source>The original message is further back than the loaded history. Scroll up to find it.</source>
        <translation>El mensaje original está más atrás que el historial cargado. Desplázate hacia arriba para encontrarlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1225"/>
        <source>The original message is not loaded.</source>
        <translation>El mensaje original no está cargado.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1233"/>
        <source>Delete this message?</source>
        <translation>¿Eliminar este mensaje?</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1235"/>
        <source>Everyone in #%1 will see that a message was deleted, but not what it said. This cannot be undone.</source>
        <translation>Todos en #%1 verán que se eliminó un mensaje, pero no lo que decía. No se puede deshacer.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1238"/>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1283"/>
        <source>%1 is invited to #%2 and can join it from their room list.</source>
        <translation>%1 está invitado a #%2 y puede unirse desde su lista de salas.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1289"/>
        <source>There is no user with that name on this server.</source>
        <translation>No hay ningún usuario con ese nombre en este servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1291"/>
        <source>Only the person who created the room can invite to it.</source>
        <translation>Solo quien creó la sala puede invitar a ella.</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1332"/>
        <source>Save as</source>
        <translation>Guardar como</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1345"/>
        <source>Saving %1…</source>
        <translation>Guardando %1…</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1347"/>
        <source>Saving %1: %2 of %3</source>
        <translation>Guardando %1: %2 de %3</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1352"/>
        <source>%1 was not saved: %2</source>
        <translation>%1 no se ha guardado: %2</translation>
    </message>
    <message>
        <location filename="../app/ui/chatpage.cpp" line="1355"/>
        <source>Saved %1 as %2</source>
        <translation>%1 guardado como %2</translation>
    </message>
</context>
<context>
    <name>Tertulia::Composer</name>
    <message>
        <location filename="../app/ui/composer.cpp" line="212"/>
        <source>Sen&amp;d</source>
        <translation>&amp;Enviar</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="212"/>
        <source>Sa&amp;ve</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="213"/>
        <source>Save the edited message (Enter). Escape cancels.</source>
        <translation>Guardar el mensaje editado (Intro). Escape cancela.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="214"/>
        <source>Send the message (Enter). Shift+Enter starts a new line.</source>
        <translation>Enviar el mensaje (Intro). Mayús+Intro empieza una línea nueva.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="215"/>
        <source>Editing your message. Enter saves, Escape cancels.</source>
        <translation>Editando tu mensaje. Intro guarda, Escape cancela.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="217"/>
        <source>Cancel the reply (Escape)</source>
        <translation>Cancelar la respuesta (Escape)</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="218"/>
        <source>Cancel the reply</source>
        <translation>Cancelar la respuesta</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="219"/>
        <source>Insert an emoji (Ctrl+E)</source>
        <translation>Insertar un emoji (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="220"/>
        <source>Insert an emoji</source>
        <translation>Insertar un emoji</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="222"/>
        <source>Send files or images (Ctrl+Shift+U). You can also paste an image or drop files here; the text in the box goes with them.</source>
        <translation>Enviar archivos o imágenes (Ctrl+Mayús+U). También puedes pegar una imagen o soltar archivos aquí; el texto del cuadro va con ellos.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="224"/>
        <location filename="../app/ui/composer.cpp" line="458"/>
        <source>Send files</source>
        <translation>Enviar archivos</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="227"/>
        <source>Replying to %1</source>
        <translation>Respondiendo a %1</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="228"/>
        <source>Replying to %1: %2</source>
        <translation>Respondiendo a %1: %2</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="233"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="234"/>
        <source>Enter sends, Shift+Enter starts a new line.</source>
        <translation>Intro envía, Mayús+Intro empieza una línea nueva.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="236"/>
        <source>Choose a room to write in</source>
        <translation>Elige una sala para escribir</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="237"/>
        <source>Message %1</source>
        <translation>Mensaje para %1</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="238"/>
        <source>Message #%1</source>
        <translation>Mensaje para #%1</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="255"/>
        <source>Too long: %1 of %2 bytes. Shorten the message to send it.</source>
        <translation>Demasiado largo: %1 de %2 bytes. Acorta el mensaje para poder enviarlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="258"/>
        <source>%1 of %2 bytes used.</source>
        <translation>%1 de %2 bytes usados.</translation>
    </message>
    <message>
        <location filename="../app/ui/composer.cpp" line="447"/>
        <source>image %1.png</source>
        <translation>imagen %1.png</translation>
    </message>
</context>
<context>
    <name>Tertulia::ConnectionBanner</name>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="104"/>
        <source>Reconnecting in %1 s…</source>
        <translation>Reconectando en %1 s…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="104"/>
        <source>Reconnecting…</source>
        <translation>Reconectando…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="108"/>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="109"/>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="110"/>
        <source>Catching up on missed messages…</source>
        <translation>Recuperando los mensajes perdidos…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="111"/>
        <source>Not connected.</source>
        <translation>Sin conexión.</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="124"/>
        <source>Check its fingerprint with the host, then trust it to connect.</source>
        <translation>Comprueba su huella con el anfitrión y luego confía en él para conectar.</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="125"/>
        <source>This may be a new certificate of the host, or someone intercepting the connection. Review it before accepting anything.</source>
        <translation>Puede ser un certificado nuevo del anfitrión o alguien que intercepta la conexión. Revísalo antes de aceptar nada.</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="128"/>
        <source>Last connection: %1</source>
        <translation>Última conexión: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="130"/>
        <source>Offline: messages will be sent when the connection returns (%1 waiting).</source>
        <translation>Sin conexión: los mensajes se enviarán cuando vuelva la conexión (%1 en espera).</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="132"/>
        <source>Unsent messages (%1) are kept and will be sent after you sign in again.</source>
        <translation>Los mensajes sin enviar (%1) se guardan y se enviarán cuando vuelvas a iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="138"/>
        <source>Retr&amp;y now</source>
        <translation>&amp;Reintentar ahora</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="139"/>
        <source>Try to connect again without waiting (F5)</source>
        <translation>Intentar conectar de nuevo sin esperar (F5)</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="141"/>
        <source>Sign in &amp;again</source>
        <translation>Iniciar sesión de nuev&amp;o</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="143"/>
        <source>Review the cer&amp;tificate…</source>
        <translation>Revisar el cer&amp;tificado…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="144"/>
        <source>See what the server presented, why it was stopped, and how to accept a new certificate</source>
        <translation>Ver qué presentó el servidor, por qué se detuvo y cómo aceptar un certificado nuevo</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="148"/>
        <source>&amp;Use another server…</source>
        <translation>Usar otro servi&amp;dor…</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="149"/>
        <source>Sign out of %1 and choose another server (unsent messages are kept)</source>
        <translation>Cerrar la sesión en %1 y elegir otro servidor (los mensajes sin enviar se guardan)</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionbanner.cpp" line="153"/>
        <source>Connection status</source>
        <translation>Estado de la conexión</translation>
    </message>
</context>
<context>
    <name>Tertulia::ConnectionIndicator</name>
    <message>
        <location filename="../app/ui/connectionindicator.cpp" line="63"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionindicator.cpp" line="66"/>
        <source>Reconnecting in %1 s</source>
        <translation>Reconectando en %1 s</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionindicator.cpp" line="68"/>
        <source>Not signed in</source>
        <translation>Sin iniciar sesión</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionindicator.cpp" line="73"/>
        <source>Connection: %1. Click for connection health.</source>
        <translation>Conexión: %1. Pulsa para ver el estado de la conexión.</translation>
    </message>
    <message>
        <location filename="../app/ui/connectionindicator.cpp" line="74"/>
        <source>Connection status: %1</source>
        <translation>Estado de la conexión: %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::EmojiPicker</name>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="376"/>
        <location filename="../app/ui/emojipicker.cpp" line="379"/>
        <source>Emoji</source>
        <translation>Emoji</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="377"/>
        <location filename="../app/ui/emojipicker.cpp" line="378"/>
        <source>Search emoji</source>
        <translation>Buscar emoji</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="380"/>
        <source>Recently used</source>
        <translation>Usados recientemente</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="380"/>
        <source>Smileys</source>
        <translation>Caras</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="380"/>
        <source>People and gestures</source>
        <translation>Personas y gestos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="380"/>
        <source>Hearts and symbols</source>
        <translation>Corazones y símbolos</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="381"/>
        <source>Animals and nature</source>
        <translation>Animales y naturaleza</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="381"/>
        <source>Food and drink</source>
        <translation>Comida y bebida</translation>
    </message>
    <message>
        <location filename="../app/ui/emojipicker.cpp" line="381"/>
        <source>Activities, travel and objects</source>
        <translation>Actividades, viajes y objetos</translation>
    </message>
</context>
<context>
    <name>Tertulia::FileThumbnails</name>
    <message>
        <location filename="../app/ui/filethumbnails.cpp" line="52"/>
        <source>The image cannot be shown.</source>
        <translation>No se puede mostrar la imagen.</translation>
    </message>
</context>
<context>
    <name>Tertulia::FileViewer</name>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="24"/>
        <source>&amp;Save as…</source>
        <translation>&amp;Guardar como…</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="32"/>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="39"/>
        <source>Save as</source>
        <translation>Guardar como</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="53"/>
        <source>Loading %1: %2 of %3</source>
        <translation>Cargando %1: %2 de %3</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="64"/>
        <source>The image cannot be shown.</source>
        <translation>No se puede mostrar la imagen.</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="66"/>
        <source>%1 × %2 pixels, %3</source>
        <translation>%1 × %2 píxeles, %3</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="81"/>
        <source>The file could not be saved: %1</source>
        <translation>No se ha podido guardar el archivo: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/fileviewer.cpp" line="84"/>
        <source>Saved as %1</source>
        <translation>Guardado como %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::HealthPanel</name>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="87"/>
        <source>Copied.</source>
        <translation>Copiado.</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="102"/>
        <source>State:</source>
        <translation>Estado:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="103"/>
        <source>Server:</source>
        <translation>Servidor:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="104"/>
        <source>Address:</source>
        <translation>Dirección:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="105"/>
        <source>Encryption:</source>
        <translation>Cifrado:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="106"/>
        <source>Server identity:</source>
        <translation>Identidad del servidor:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="107"/>
        <source>Certificate:</source>
        <translation>Certificado:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="108"/>
        <source>Round trip now:</source>
        <translation>Ida y vuelta ahora:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="109"/>
        <source>Round trip mean:</source>
        <translation>Ida y vuelta media:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="110"/>
        <source>Deviation:</source>
        <translation>Desviación:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="111"/>
        <source>Measurements:</source>
        <translation>Mediciones:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="112"/>
        <source>Reconnects:</source>
        <translation>Reconexiones:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="113"/>
        <source>Last disconnect:</source>
        <translation>Última desconexión:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="114"/>
        <source>Messages in / out:</source>
        <translation>Mensajes recibidos / enviados:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="115"/>
        <source>Frames in / out:</source>
        <translation>Tramas recibidas / enviadas:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="116"/>
        <source>Data in / out:</source>
        <translation>Datos recibidos / enviados:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="117"/>
        <source>Waiting to send:</source>
        <translation>Pendientes de envío:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="118"/>
        <source>Last resume:</source>
        <translation>Última reanudación:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="125"/>
        <source>Connection health</source>
        <translation>Estado de la conexión</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="130"/>
        <source>Round-trip time</source>
        <translation>Tiempo de ida y vuelta</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="131"/>
        <source>Copy dia&amp;gnostics</source>
        <translation>Copiar &amp;diagnóstico</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="132"/>
        <source>Copy these measurements as text, to paste into a bug report</source>
        <translation>Copiar estas mediciones como texto, para pegarlas en un informe de error</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="184"/>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="188"/>
        <source>%1 (attempt %2)</source>
        <translation>%1 (intento %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="190"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="194"/>
        <source>%1 (version %2)</source>
        <translation>%1 (versión %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="199"/>
        <source>Not connected: stopped during the TLS handshake, nothing was sent</source>
        <translation>Sin conexión: detenida durante el saludo TLS, no se envió nada</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="201"/>
        <source>Presented (SHA-256):</source>
        <translation>Presentado (SHA-256):</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="204"/>
        <source>%1, %2</source>
        <extracomment>%1 is the TLS version (TLSv1.3), %2 the cipher suite.</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="209"/>
        <source>Pinned certificate: %1, since %2</source>
        <extracomment>%1 says where the pin came from (&quot;trusted when you first connected&quot;), %2 when.</extracomment>
        <translation>Certificado fijado: %1, desde %2</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="212"/>
        <source>Pinned certificate: %1</source>
        <translation>Certificado fijado: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="215"/>
        <source>Verified by a certificate authority (%1)</source>
        <translation>Verificado por una autoridad de certificación (%1)</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="215"/>
        <source>unnamed</source>
        <translation>sin nombre</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="218"/>
        <source>Checked by the system&apos;s certificate authorities</source>
        <translation>Comprobado por las autoridades de certificación del sistema</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="222"/>
        <source>SHA-256 fingerprint:</source>
        <extracomment>What the certificate&apos;s fingerprint is; the value follows on the next lines.</extracomment>
        <translation>Huella SHA-256:</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="225"/>
        <source>None: plain ws://, anyone on the network can read this connection</source>
        <translation>Ninguno: ws:// sin cifrar, cualquiera en la red puede leer esta conexión</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="237"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="239"/>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="242"/>
        <location filename="../app/ui/healthpanel.cpp" line="243"/>
        <location filename="../app/ui/healthpanel.cpp" line="244"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="249"/>
        <source>Complete (rooms: %1, missed messages replayed: %2)</source>
        <translation>Completa (salas: %1, mensajes perdidos recuperados: %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="250"/>
        <source>Incomplete (rooms with a gap: %1 of %2; replayed: %3, paged in: %4)</source>
        <translation>Incompleta (salas con hueco: %1 de %2; recuperados: %3, cargados por páginas: %4)</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="253"/>
        <source>None yet</source>
        <translation>Ninguna todavía</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="261"/>
        <source>Tertulia %1, Qt %2, %3</source>
        <translation>Tertulia %1, Qt %2, %3</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="262"/>
        <source>state: %1</source>
        <translation>estado: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/healthpanel.cpp" line="264"/>
        <source>address: %1</source>
        <translation>dirección: %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::LaunchOptions</name>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="14"/>
        <source>Tertulia: chat with the people around you, or on a server you trust.</source>
        <translation>Tertulia: charla con la gente de tu alrededor, o en un servidor de confianza.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="15"/>
        <source>Show this help and quit.</source>
        <translation>Mostrar esta ayuda y salir.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="16"/>
        <source>Show the version and quit.</source>
        <translation>Mostrar la versión y salir.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="17"/>
        <source>Start hosting a chat on this computer at once (on PORT if given).</source>
        <translation>Abrir enseguida una charla en este equipo (en PUERTO si se indica).</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="18"/>
        <source>Open the sign-in screen for the server at URL.</source>
        <translation>Abrir la pantalla de inicio de sesión para el servidor en URL.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="18"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="20"/>
        <source>Use the profile NAME: its own settings, remembered servers and data.</source>
        <translation>Usar el perfil NOMBRE: con sus propios ajustes, servidores recordados y datos.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="21"/>
        <source>NAME</source>
        <translation>NOMBRE</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="24"/>
        <source>PORT</source>
        <translation>PUERTO</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="24"/>
        <source>With --host: the port to listen on (default 7420).</source>
        <translation>Con --host: el puerto en el que escuchar (7420 por omisión).</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="24"/>
        <source>[PORT]</source>
        <translation>[PUERTO]</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="58"/>
        <source>Unexpected argument “%1” (a port is only given after --host).</source>
        <translation>Argumento inesperado «%1» (un puerto solo se indica después de --host).</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="60"/>
        <source>Only one port can follow --host.</source>
        <translation>Después de --host solo puede ir un puerto.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="64"/>
        <source>“%1” is not a port number (1–65535).</source>
        <translation>«%1» no es un número de puerto (1–65535).</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="48"/>
        <location filename="../app/ui/launchoptions.cpp" line="75"/>
        <source>“%1” is not a server address (try host:port or ws://host:port).</source>
        <translation>«%1» no es una dirección de servidor (prueba equipo:puerto o ws://equipo:puerto).</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="78"/>
        <source>--host and --connect cannot be used together.</source>
        <translation>--host y --connect no se pueden usar a la vez.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="25"/>
        <source>LINK</source>
        <translation>ENLACE</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="26"/>
        <source>A tertulia://host:port/room link to open, as with --connect. A Tertulia already running with the same profile opens it instead.</source>
        <translation>Un enlace tertulia://equipo:puerto/sala que abrir, como con --connect. Si Tertulia ya está abierto con el mismo perfil, lo abre esa ventana.</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="28"/>
        <source>[LINK]</source>
        <translation>[ENLACE]</translation>
    </message>
    <message>
        <location filename="../app/ui/launchoptions.cpp" line="50"/>
        <source>Give the server once: with --connect or as a link.</source>
        <translation>Indica el servidor una sola vez: con --connect o como enlace.</translation>
    </message>
</context>
<context>
    <name>Tertulia::MainWindow</name>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="100"/>
        <source>%1 (people online: %2)</source>
        <translation>%1 (personas conectadas: %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="240"/>
        <source>About Tertulia</source>
        <translation>Acerca de Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="241"/>
        <source>&lt;p&gt;&lt;b&gt;Tertulia %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Chat with the people around you, or on a server you trust.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Tertulia %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Charla con la gente de tu alrededor, o en un servidor de confianza.&lt;/p&gt;&lt;p&gt;Hecho con Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="388"/>
        <source>The account %1 was deleted. Its messages stay in their rooms; the name cannot be used again on this server.</source>
        <translation>La cuenta %1 se ha eliminado. Sus mensajes se quedan en sus salas; el nombre no se puede volver a usar en este servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="423"/>
        <source>Invitation to #%1</source>
        <translation>Invitación a #%1</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="424"/>
        <source>%1 invited you to this private room. Open it to join.</source>
        <translation>%1 te ha invitado a esta sala privada. Ábrela para unirte.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="441"/>
        <source>The chat started, but its address %1 cannot be used.</source>
        <translation>La charla se ha abierto, pero no se puede usar su dirección %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="516"/>
        <source>&amp;Chat</source>
        <translation>&amp;Charla</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="517"/>
        <source>&amp;Room</source>
        <translation>&amp;Sala</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="518"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="519"/>
        <source>&amp;Settings</source>
        <translation>&amp;Ajustes</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="520"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="521"/>
        <source>&amp;Share your chat…</source>
        <translation>&amp;Compartir tu charla…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="522"/>
        <source>S&amp;top hosting</source>
        <translation>Ce&amp;rrar la charla</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="523"/>
        <source>Sign &amp;out</source>
        <translation>Cerrar &amp;sesión</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="524"/>
        <source>&amp;Account…</source>
        <translation>C&amp;uenta…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="525"/>
        <source>Server a&amp;dministration…</source>
        <translation>A&amp;dministración del servidor…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="526"/>
        <source>&amp;Quit</source>
        <translation>Sa&amp;lir</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="527"/>
        <source>&amp;New room…</source>
        <translation>&amp;Nueva sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="528"/>
        <source>&amp;Join a room…</source>
        <translation>&amp;Unirse a una sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="529"/>
        <source>New &amp;direct message…</source>
        <translation>Nuevo mensaje di&amp;recto…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="530"/>
        <source>&amp;Invite to this room…</source>
        <translation>&amp;Invitar a esta sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="531"/>
        <source>&amp;Leave this room</source>
        <translation>&amp;Dejar esta sala</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="532"/>
        <source>Ne&amp;xt room</source>
        <translation>Sala si&amp;guiente</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="533"/>
        <source>&amp;Previous room</source>
        <translation>Sala &amp;anterior</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="534"/>
        <source>&amp;Write a message</source>
        <translation>&amp;Escribir un mensaje</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="535"/>
        <source>&amp;Go to a room…</source>
        <translation>&amp;Cambiar de sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="536"/>
        <source>&amp;Search messages…</source>
        <translation>&amp;Buscar mensajes…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="537"/>
        <source>Jump to &amp;first unread</source>
        <translation>Ir al &amp;primer mensaje sin leer</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="538"/>
        <source>Connection &amp;health</source>
        <translation>&amp;Estado de la conexión</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="539"/>
        <source>&amp;Reconnect now</source>
        <translation>&amp;Reconectar ahora</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="540"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="541"/>
        <source>&amp;About Tertulia</source>
        <translation>&amp;Acerca de Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="542"/>
        <source>&amp;Show Tertulia</source>
        <translation>&amp;Mostrar Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="543"/>
        <source>&amp;Do not disturb</source>
        <translation>&amp;No molestar</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="544"/>
        <source>No notifications at all, not even for mentions, until turned off</source>
        <translation>Ninguna notificación, ni siquiera por menciones, hasta desactivarlo</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="545"/>
        <location filename="../app/ui/mainwindow.cpp" line="562"/>
        <location filename="../app/ui/mainwindow.cpp" line="579"/>
        <source>Tertulia</source>
        <translation>Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="559"/>
        <source>Profile %1</source>
        <translation>Perfil %1</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="560"/>
        <source>%1 (profile %2)</source>
        <translation>%1 (perfil %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="574"/>
        <source>Do not disturb</source>
        <translation>No molestar</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="575"/>
        <source>No notifications until you turn this off (click here)</source>
        <translation>Sin notificaciones hasta que lo desactives (pulsa aquí)</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="581"/>
        <source>%1 (do not disturb)</source>
        <translation>%1 (no molestar)</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="702"/>
        <source>That link is for the server %1. You are signed in to %2: sign out first to open it.</source>
        <translation>Ese enlace es del servidor %1. Has iniciado sesión en %2: cierra la sesión primero para abrirlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="978"/>
        <source>%1 (direct message)</source>
        <translation>%1 (mensaje directo)</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="979"/>
        <source>%1 mentioned you in #%2</source>
        <translation>%1 te ha mencionado en #%2</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1013"/>
        <source>Quit with unsent messages?</source>
        <translation>¿Salir con mensajes sin enviar?</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1014"/>
        <source>1 message has not been sent yet.</source>
        <translation>Hay 1 mensaje que aún no se ha enviado.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1015"/>
        <source>%1 messages have not been sent yet.</source>
        <translation>Hay %1 mensajes que aún no se han enviado.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1020"/>
        <source>They are kept on this computer and sent the next time you sign in to %1.</source>
        <translation>Se guardan en este equipo y se enviarán la próxima vez que inicies sesión en %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1023"/>
        <source>It cannot be kept: it is lost if you quit now.</source>
        <translation>No se puede guardar: se pierde si sales ahora.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1024"/>
        <source>They cannot be kept: they are lost if you quit now.</source>
        <translation>No se pueden guardar: se pierden si sales ahora.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1027"/>
        <source>One of them, a file, cannot be kept: it is lost if you quit now.</source>
        <translation>Uno de ellos, un archivo, no se puede guardar: se pierde si sales ahora.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1028"/>
        <source>%1 of them cannot be kept: they are lost if you quit now.</source>
        <translation>%1 de ellos no se pueden guardar: se pierden si sales ahora.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1030"/>
        <source>&amp;Quit anyway</source>
        <translation>&amp;Salir de todos modos</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1031"/>
        <source>&amp;Keep Tertulia open</source>
        <translation>&amp;Mantener Tertulia abierta</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1057"/>
        <source>Tertulia is still running</source>
        <translation>Tertulia sigue abierta</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="1058"/>
        <source>It keeps you connected here. Quit it from this icon&apos;s menu, or turn this off in Preferences.</source>
        <translation>Te mantiene conectado desde aquí. Puedes salir desde el menú de este icono, o desactivarlo en Preferencias.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="565"/>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="579"/>
        <source>Tertulia: %1 unread</source>
        <translation>Tertulia: %1 sin leer</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="595"/>
        <source>Hosting on port %1 · others online: %2</source>
        <translation>Charla abierta en el puerto %1 · otras personas conectadas: %2</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="596"/>
        <source>Show the addresses people can use to join</source>
        <translation>Mostrar las direcciones con las que otras personas pueden unirse</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="653"/>
        <location filename="../app/ui/mainwindow.cpp" line="665"/>
        <source>Signing in to %1 as %2…</source>
        <translation>Iniciando sesión en %1 como %2…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="747"/>
        <source>Creating your account on %1…</source>
        <translation>Creando tu cuenta en %1…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="748"/>
        <source>Signing in to %1…</source>
        <translation>Iniciando sesión en %1…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="797"/>
        <source>Starting the chat on port %1…</source>
        <translation>Abriendo la charla en el puerto %1…</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="831"/>
        <source>Stop hosting?</source>
        <translation>¿Cerrar la charla?</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="832"/>
        <source>1 other person is connected to your chat.</source>
        <translation>Hay otra persona conectada a tu charla.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="833"/>
        <source>%1 other people are connected to your chat.</source>
        <translation>Hay %1 personas más conectadas a tu charla.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="835"/>
        <source>Stopping disconnects them. They can come back when you host again.</source>
        <translation>Al cerrarla se desconectarán. Podrán volver cuando la abras de nuevo.</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="836"/>
        <source>&amp;Stop hosting</source>
        <translation>&amp;Cerrar la charla</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="837"/>
        <source>&amp;Keep hosting</source>
        <translation>&amp;Mantenerla abierta</translation>
    </message>
    <message>
        <location filename="../app/ui/mainwindow.cpp" line="980"/>
        <source>%1 in #%2</source>
        <translation>%1 en #%2</translation>
    </message>
</context>
<context>
    <name>Tertulia::MessageDelegate</name>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="105"/>
        <source>This message was deleted</source>
        <translation>Se eliminó este mensaje</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="192"/>
        <source>(edited %1)</source>
        <translation>(editado %1)</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="196"/>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="209"/>
        <source>Reply to an earlier message (not loaded; click to find it)</source>
        <translation>Respuesta a un mensaje anterior (no cargado; haz clic para buscarlo)</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="212"/>
        <source>Reply to %1: a deleted message</source>
        <translation>Respuesta a %1: un mensaje eliminado</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="214"/>
        <source>%1: %2</source>
        <comment>a reply&apos;s quote: sender, first line of the original</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="225"/>
        <source>sent %1</source>
        <comment>beside the time a message was written: when it reached the server</comment>
        <translation>enviado %1</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="334"/>
        <location filename="../app/ui/messagedelegate.cpp" line="530"/>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="335"/>
        <location filename="../app/ui/messagedelegate.cpp" line="531"/>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="387"/>
        <source>New messages</source>
        <translation>Mensajes nuevos</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="604"/>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="626"/>
        <source>%1 · Save as…</source>
        <translation>%1 · Guardar como…</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="233"/>
        <source>Written %1, sent %2 when the connection returned</source>
        <translation>Escrito %1, enviado %2 al volver la conexión</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="711"/>
        <source>%1 reacted with %2</source>
        <translation>%1 reaccionaron con %2</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="728"/>
        <source>%1 (user name: %2)</source>
        <translation>%1 (nombre de usuario: %2)</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="730"/>
        <source>Show the message this one replies to</source>
        <translation>Mostrar el mensaje al que responde</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="732"/>
        <source>Send this message again</source>
        <translation>Enviar este mensaje de nuevo</translation>
    </message>
    <message>
        <location filename="../app/ui/messagedelegate.cpp" line="734"/>
        <source>Delete this message without sending it</source>
        <translation>Borrar este mensaje sin enviarlo</translation>
    </message>
</context>
<context>
    <name>Tertulia::MessageView</name>
    <message>
        <location filename="../app/ui/messageview.cpp" line="121"/>
        <source>&amp;Retry sending</source>
        <translation>&amp;Reintentar el envío</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="122"/>
        <source>&amp;Discard</source>
        <translation>&amp;Descartar</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="123"/>
        <source>&amp;Copy text</source>
        <translation>&amp;Copiar el texto</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="124"/>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="125"/>
        <source>De&amp;lete…</source>
        <translation>E&amp;liminar…</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="126"/>
        <source>Re&amp;ply</source>
        <translation>Res&amp;ponder</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="127"/>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="128"/>
        <source>New messages below ↓</source>
        <translation>Mensajes nuevos abajo ↓</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="129"/>
        <source>Scroll to the newest message</source>
        <translation>Ir al mensaje más reciente</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="314"/>
        <source>Open this link?</source>
        <translation>¿Abrir este enlace?</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="316"/>
        <source>The text “%1” leads to:
%2</source>
        <translation>El texto «%1» lleva a:
%2</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="317"/>
        <source>&amp;Open link</source>
        <translation>&amp;Abrir enlace</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="376"/>
        <source>Open %1</source>
        <translation>Abrir %1</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="385"/>
        <source>Re&amp;act</source>
        <translation>Re&amp;accionar</translation>
    </message>
    <message>
        <location filename="../app/ui/messageview.cpp" line="400"/>
        <source>&amp;More…</source>
        <translation>&amp;Más…</translation>
    </message>
</context>
<context>
    <name>Tertulia::ModerationDialog</name>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="97"/>
        <source>Ban %1 from #%2</source>
        <translation>Vetar a %1 en #%2</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="102"/>
        <source>Mute %1 in #%2</source>
        <translation>Silenciar a %1 en #%2</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="98"/>
        <source>%1 leaves #%2 at once and cannot come back until the ban ends or is lifted.</source>
        <translation>%1 sale de #%2 en el acto y no puede volver hasta que el veto termine o se levante.</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="103"/>
        <source>%1 stays in #%2 and can read it, but cannot write until the mute ends or is lifted.</source>
        <translation>%1 sigue en #%2 y puede leerla, pero no puede escribir hasta que el silencio termine o se levante.</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="108"/>
        <source>Remove %1 from #%2</source>
        <translation>Quitar a %1 de #%2</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="109"/>
        <source>%1 leaves #%2 at once. They may join again (a private room needs a new invitation).</source>
        <translation>%1 sale de #%2 al instante. Puede volver a entrar (en una sala privada, con una nueva invitación).</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="111"/>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="115"/>
        <source>R&amp;oom:</source>
        <translation>S&amp;ala:</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="116"/>
        <source>&amp;Reason (they will see it):</source>
        <translation>&amp;Motivo (lo verá):</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="117"/>
        <source>&amp;For:</source>
        <translation>&amp;Durante:</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="118"/>
        <source>1 hour</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="118"/>
        <source>1 day</source>
        <translation>1 día</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="118"/>
        <source>1 week</source>
        <translation>1 semana</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="118"/>
        <source>Until lifted</source>
        <translation>Hasta que se levante</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="99"/>
        <source>&amp;Ban</source>
        <translation>&amp;Vetar</translation>
    </message>
    <message>
        <location filename="../app/ui/moderationdialog.cpp" line="105"/>
        <source>&amp;Mute</source>
        <translation>&amp;Silenciar</translation>
    </message>
</context>
<context>
    <name>Tertulia::Notifier</name>
    <message>
        <location filename="../app/ui/notifier.cpp" line="101"/>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
</context>
<context>
    <name>Tertulia::PasswordResetDialog</name>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="54"/>
        <source>Reset the password of %1</source>
        <translation>Restablecer la contraseña de %1</translation>
    </message>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="55"/>
        <source>%1 is signed out on every device and signs in again with this password. Tell them through a channel you trust.</source>
        <translation>Se cierra la sesión de %1 en todos sus dispositivos y vuelve a entrar con esta contraseña. Díselo por un canal de confianza.</translation>
    </message>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="58"/>
        <source>&amp;New password:</source>
        <translation>&amp;Nueva contraseña:</translation>
    </message>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="59"/>
        <source>&amp;Again:</source>
        <translation>&amp;Otra vez:</translation>
    </message>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="60"/>
        <source>&amp;Set password</source>
        <translation>&amp;Poner la contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="69"/>
        <source>At least %1 characters.</source>
        <translation>Al menos %1 caracteres.</translation>
    </message>
    <message>
        <location filename="../app/ui/passwordresetdialog.cpp" line="71"/>
        <source>The two passwords are not the same.</source>
        <translation>Las dos contraseñas no coinciden.</translation>
    </message>
</context>
<context>
    <name>Tertulia::PreferencesDialog</name>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="89"/>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="90"/>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="91"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="92"/>
        <source>System language (%1)</source>
        <translation>Idioma del sistema (%1)</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="93"/>
        <source>&amp;Appearance:</source>
        <translation>&amp;Aspecto:</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="94"/>
        <source>Appearance</source>
        <translation>Aspecto</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="95"/>
        <source>System</source>
        <translation>El del sistema</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="96"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="97"/>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="98"/>
        <source>Show &amp;notifications for new messages in other rooms</source>
        <translation>Mostrar &amp;notificaciones de mensajes nuevos en otras salas</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="99"/>
        <source>A muted room notifies only when someone mentions you</source>
        <translation>Una sala silenciada solo avisa cuando alguien te menciona</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="100"/>
        <source>Play a &amp;sound with each notification</source>
        <translation>Reproducir un &amp;sonido con cada notificación</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="101"/>
        <source>The desktop&apos;s alert sound; your desktop may also play its own</source>
        <translation>El sonido de aviso del escritorio; tu escritorio puede además reproducir el suyo</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="102"/>
        <source>&amp;Do not disturb: no notifications at all, not even for mentions</source>
        <translation>N&amp;o molestar: ninguna notificación, ni siquiera por menciones</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="103"/>
        <source>Hosting a chat</source>
        <translation>Al abrir una charla</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="104"/>
        <source>Also offer an &amp;unencrypted address (http://)</source>
        <translation>Ofrecer también una dirección sin &amp;cifrar (http://)</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="105"/>
        <source>Only for browsers that refuse the chat&apos;s own certificate. Anyone on the network can read what is sent over it, passwords included. Takes effect the next time you host.</source>
        <translation>Solo para navegadores que rechazan el certificado propio de la charla. Cualquiera en la red puede leer lo que se envía por ella, contraseñas incluidas. Se aplica la próxima vez que abras una charla.</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="108"/>
        <source>&amp;Keep running in the tray when the window is closed</source>
        <translation>&amp;Mantener Tertulia en la bandeja al cerrar la ventana</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="110"/>
        <source>Quit (Ctrl+Q) still quits</source>
        <translation>Salir (Ctrl+Q) sigue cerrando Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="111"/>
        <source>This desktop has no tray: closing the window quits</source>
        <translation>Este escritorio no tiene bandeja: cerrar la ventana cierra Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/preferencesdialog.cpp" line="112"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>Tertulia::Profile</name>
    <message>
        <location filename="../app/ui/profile.cpp" line="32"/>
        <source>“%1” is not a valid profile name: use letters, digits, dots, dashes or underscores.</source>
        <translation>«%1» no es un nombre de perfil válido: usa letras, cifras, puntos, guiones o guiones bajos.</translation>
    </message>
    <message>
        <location filename="../app/ui/profile.cpp" line="61"/>
        <source>Cannot create the folder %1.</source>
        <translation>No se puede crear la carpeta %1.</translation>
    </message>
</context>
<context>
    <name>Tertulia::QrCodeWidget</name>
    <message>
        <location filename="../app/ui/qrcodewidget.cpp" line="21"/>
        <source>QR code</source>
        <translation>Código QR</translation>
    </message>
    <message>
        <location filename="../app/ui/qrcodewidget.cpp" line="22"/>
        <source>A QR code of %1</source>
        <translation>Un código QR de %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::QuickSwitcher</name>
    <message>
        <location filename="../app/ui/quickswitcher.cpp" line="59"/>
        <source>%1 (not joined)</source>
        <translation>%1 (no estás dentro)</translation>
    </message>
    <message>
        <location filename="../app/ui/quickswitcher.cpp" line="61"/>
        <source>%1 (%2 unread)</source>
        <translation>%1 (%2 sin leer)</translation>
    </message>
    <message>
        <location filename="../app/ui/quickswitcher.cpp" line="75"/>
        <source>Go to a room</source>
        <translation>Ir a una sala</translation>
    </message>
    <message>
        <location filename="../app/ui/quickswitcher.cpp" line="76"/>
        <source>&amp;Type part of a room&apos;s name, then Enter. Escape closes.</source>
        <translation>&amp;Escribe parte del nombre de una sala y pulsa Intro. Escape cierra.</translation>
    </message>
    <message>
        <location filename="../app/ui/quickswitcher.cpp" line="77"/>
        <source>Room name</source>
        <translation>Nombre de la sala</translation>
    </message>
    <message>
        <location filename="../app/ui/quickswitcher.cpp" line="78"/>
        <source>Matching rooms</source>
        <translation>Salas que coinciden</translation>
    </message>
</context>
<context>
    <name>Tertulia::RoomDialog</name>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="95"/>
        <source>New room</source>
        <translation>Nueva sala</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="96"/>
        <source>Rooms are where people talk. Anyone on the server can find and join a public room.</source>
        <translation>En las salas es donde se habla. Cualquiera en el servidor puede encontrar una sala pública y unirse.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="97"/>
        <location filename="../app/ui/roomdialog.cpp" line="104"/>
        <source>Room &amp;name:</source>
        <translation>&amp;Nombre de la sala:</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="98"/>
        <source>&amp;Create</source>
        <translation>&amp;Crear</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="101"/>
        <source>Join a room</source>
        <translation>Unirse a una sala</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="102"/>
        <source>Pick a room below or type its name: a public room, or a private room you were invited to.</source>
        <translation>Elige una sala de la lista o escribe su nombre: una sala pública, o una privada a la que te hayan invitado.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="105"/>
        <source>&amp;Join</source>
        <translation>&amp;Unirse</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="108"/>
        <source>Invite to %1</source>
        <translation>Invitar a %1</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="109"/>
        <source>Only people you invite can join the private room %1.</source>
        <translation>Solo las personas que invites pueden unirse a la sala privada %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="110"/>
        <source>&amp;User name:</source>
        <translation>Nombre de &amp;usuario:</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="111"/>
        <source>&amp;Invite</source>
        <translation>&amp;Invitar</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="115"/>
        <source>User names have %1 to %2 letters, digits, dots, dashes or underscores.</source>
        <translation>Los nombres de usuario tienen de %1 a %2 letras, cifras, puntos, guiones o guiones bajos.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="118"/>
        <source>Up to %1 letters or digits, dots, dashes or underscores; no spaces.</source>
        <translation>Hasta %1 letras o cifras, puntos, guiones o guiones bajos; sin espacios.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="120"/>
        <source>&amp;Rooms you can join:</source>
        <translation>&amp;Salas a las que puedes unirte:</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="121"/>
        <source>Rooms you can join</source>
        <translation>Salas a las que puedes unirte</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="122"/>
        <source>No other rooms yet: type the name of one you were told about, or create one.</source>
        <translation>Aún no hay otras salas: escribe el nombre de una que te hayan dicho, o crea una.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="123"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="124"/>
        <source>&amp;Private: only people I invite can see and join it</source>
        <translation>&amp;Privada: solo las personas que invite pueden verla y unirse</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="125"/>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="125"/>
        <source>Room name</source>
        <translation>Nombre de la sala</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="127"/>
        <source>e.g. maria</source>
        <translation>p. ej. maria</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="127"/>
        <source>e.g. general</source>
        <translation>p. ej. general</translation>
    </message>
    <message>
        <location filename="../app/ui/roomdialog.cpp" line="150"/>
        <source>That is not a user name: user names are letters, digits, dots, dashes or underscores.</source>
        <translation>Eso no es un nombre de usuario: los nombres de usuario son letras, cifras, puntos, guiones o guiones bajos.</translation>
    </message>
</context>
<context>
    <name>Tertulia::RoomSettingsDialog</name>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="188"/>
        <source>Delete #%1?</source>
        <translation>¿Eliminar #%1?</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="189"/>
        <source>Delete #%1 for everyone?</source>
        <translation>¿Eliminar #%1 para todos?</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="191"/>
        <source>Its members leave it at once and it disappears from every room list. Its name stays taken, so links to it never lead to another room.

Delete its messages too, or keep them in the server&apos;s database, where only the server&apos;s administrators can reach them (no one can read them in the app).</source>
        <translation>Sus miembros salen de ella al momento y desaparece de todas las listas de salas. Su nombre sigue ocupado, así que los enlaces a ella nunca llevarán a otra sala.

Elimina también sus mensajes, o consérvalos en la base de datos del servidor, donde solo llegan los administradores del servidor (nadie puede leerlos en la aplicación).</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="195"/>
        <source>Delete the room and its &amp;messages</source>
        <translation>Eliminar la sala y sus &amp;mensajes</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="196"/>
        <source>Delete the room, &amp;keep its messages</source>
        <translation>Eliminar la sala, conser&amp;var sus mensajes</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="251"/>
        <source>Settings of #%1</source>
        <translation>Configuración de #%1</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="252"/>
        <source>The room&apos;s address stays #%1 whatever its name: links, drafts and unread markers keep working.</source>
        <translation>La dirección de la sala sigue siendo #%1 sea cual sea su nombre: los enlaces, los borradores y las marcas de lectura siguen funcionando.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="255"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="256"/>
        <source>&amp;Topic:</source>
        <translation>&amp;Tema:</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="257"/>
        <source>What the room is about (up to %1 characters)</source>
        <translation>De qué trata la sala (hasta %1 caracteres)</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="258"/>
        <source>&amp;Private: only invited people can see and join it</source>
        <translation>&amp;Privada: solo las personas invitadas pueden verla y entrar</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="259"/>
        <source>&amp;Archived: read-only, nobody can write in it</source>
        <translation>&amp;Archivada: solo lectura, nadie puede escribir en ella</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="260"/>
        <source>&amp;Reason (for the audit log):</source>
        <translation>&amp;Motivo (para el registro de auditoría):</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="261"/>
        <source>&amp;Delete room…</source>
        <translation>&amp;Eliminar sala…</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="262"/>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="266"/>
        <source>As a server administrator you can change every setting of this room.</source>
        <translation>Como administrador del servidor puedes cambiar todos los ajustes de esta sala.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="268"/>
        <source>As a moderator you can change the topic; the rest is for the room&apos;s owner.</source>
        <translation>Como moderador puedes cambiar el tema; lo demás es cosa del propietario de la sala.</translation>
    </message>
    <message>
        <location filename="../app/ui/roomsettingsdialog.cpp" line="269"/>
        <source>Only the room&apos;s owner and moderators can change its settings.</source>
        <translation>Solo el propietario y los moderadores de la sala pueden cambiar su configuración.</translation>
    </message>
</context>
<context>
    <name>Tertulia::RttChart</name>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="18"/>
        <source>Round-trip time chart</source>
        <translation>Gráfica del tiempo de ida y vuelta</translation>
    </message>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="83"/>
        <source>No measurements yet.</source>
        <translation>Todavía no hay mediciones.</translation>
    </message>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="86"/>
        <source>Last %2 minutes: measurements: %1, latest %3, mean %4.</source>
        <translation>Últimos %2 minutos: mediciones: %1, la última %3, media %4.</translation>
    </message>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="134"/>
        <source>%1 s ago</source>
        <translation>hace %1 s</translation>
    </message>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="135"/>
        <source>%1 min ago</source>
        <translation>hace %1 min</translation>
    </message>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="136"/>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <location filename="../app/ui/rttchart.cpp" line="139"/>
        <source>No measurements yet</source>
        <translation>Todavía no hay mediciones</translation>
    </message>
</context>
<context>
    <name>Tertulia::SanctionsDialog</name>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="62"/>
        <source>until lifted</source>
        <translation>hasta que se levante</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="64"/>
        <source>Banned</source>
        <translation>Vetado</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="64"/>
        <source>Muted</source>
        <translation>Silenciado</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="76"/>
        <source>&amp;Unmute</source>
        <translation>&amp;Quitar el silencio</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="76"/>
        <source>&amp;Unban</source>
        <translation>&amp;Levantar el veto</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="90"/>
        <source>Bans and mutes in #%1</source>
        <translation>Vetos y silencios en #%1</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="91"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="91"/>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="91"/>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="91"/>
        <source>Until</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="91"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="95"/>
        <source>Nobody is banned from or muted in #%1.</source>
        <translation>Nadie está vetado ni silenciado en #%1.</translation>
    </message>
    <message>
        <location filename="../app/ui/sanctionsdialog.cpp" line="97"/>
        <source>Who is kept out of #%1 or cannot write in it now. Select one to lift it.</source>
        <translation>Quién no puede entrar en #%1 o no puede escribir en ella ahora. Elige uno para levantarlo.</translation>
    </message>
</context>
<context>
    <name>Tertulia::SearchDialog</name>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="113"/>
        <location filename="../app/ui/searchdialog.cpp" line="223"/>
        <source>Type the words to look for and press Enter.</source>
        <translation>Escribe las palabras que buscas y pulsa Intro.</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="114"/>
        <source>Type at least one word (letters or digits).</source>
        <translation>Escribe al menos una palabra (letras o cifras).</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="128"/>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="136"/>
        <source>The search could not be made: %1</source>
        <translation>No se pudo hacer la búsqueda: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="137"/>
        <source>The search failed. %1</source>
        <translation>La búsqueda falló. %1</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="159"/>
        <source>sent %1</source>
        <comment>beside the time a message was written: when it reached the server</comment>
        <translation>enviado %1</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="165"/>
        <source>%1, %2, %3: %4</source>
        <comment>a search result: room, sender, time, excerpt</comment>
        <translation>%1, %2, %3: %4</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="184"/>
        <source>No messages match “%1”.</source>
        <translation>Ningún mensaje coincide con «%1».</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="186"/>
        <source>Messages found: %1.</source>
        <translation>Mensajes encontrados: %1.</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="187"/>
        <source>There are more: “More results” shows them.</source>
        <translation>Hay más: «Más resultados» los muestra.</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="210"/>
        <source>Search messages</source>
        <translation>Buscar mensajes</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="211"/>
        <source>Search &amp;for words in messages (accents and capitals do not matter):</source>
        <translation>Buscar &amp;palabras en los mensajes (dan igual los acentos y las mayúsculas):</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="212"/>
        <source>Words to look for</source>
        <translation>Palabras que buscar</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="215"/>
        <source>All my rooms</source>
        <translation>Todas mis salas</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="217"/>
        <source>Only #%1</source>
        <translation>Solo #%1</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="219"/>
        <source>Where to search</source>
        <translation>Dónde buscar</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="220"/>
        <source>Search results</source>
        <translation>Resultados de la búsqueda</translation>
    </message>
    <message>
        <location filename="../app/ui/searchdialog.cpp" line="221"/>
        <source>&amp;More results</source>
        <translation>&amp;Más resultados</translation>
    </message>
</context>
<context>
    <name>Tertulia::ShareCard</name>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="116"/>
        <source>Share your chat</source>
        <translation>Comparte tu charla</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="117"/>
        <source>&amp;Stop hosting</source>
        <translation>&amp;Cerrar la charla</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="118"/>
        <source>&amp;Close</source>
        <translation>C&amp;errar esta ventana</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="119"/>
        <source>This computer is not connected to a network, so nobody else can join yet.</source>
        <translation>Este equipo no está conectado a ninguna red, así que nadie más puede unirse todavía.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="120"/>
        <source>Certificate fingerprint (SHA-256)</source>
        <translation>Huella del certificado (SHA-256)</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="121"/>
        <source>Certificate fingerprint</source>
        <translation>Huella del certificado</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="122"/>
        <source>The links and the QR code carry it, so Tertulia checks it by itself. Someone who types the address by hand is asked to compare it with this.</source>
        <translation>Los enlaces y el código QR la llevan, así que Tertulia la comprueba por sí sola. A quien escriba la dirección a mano se le pedirá que la compare con esta.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="124"/>
        <source>Browsers will warn that the connection is not private: this chat made its own certificate, and no authority vouches for it. The connection is still encrypted. Guests who want to be sure can open the certificate details from the warning (or the address bar) and compare its SHA-256 fingerprint with the one above, then continue to the site.</source>
        <translation>Los navegadores avisarán de que la conexión no es privada: esta charla ha creado su propio certificado y ninguna autoridad lo avala. La conexión sigue cifrada. Quien quiera asegurarse puede abrir los detalles del certificado desde el aviso (o desde la barra de direcciones) y comparar su huella SHA-256 con la de arriba; después, continuar al sitio.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="129"/>
        <source>&lt;b&gt;Unencrypted addresses&lt;/b&gt; (you turned them on in Preferences): anyone on this network can read what is sent over them, passwords included. Use them only where a browser refuses the encrypted ones.</source>
        <translation>&lt;b&gt;Direcciones sin cifrar&lt;/b&gt; (las activaste en Preferencias): cualquiera en esta red puede leer lo que se envía por ellas, contraseñas incluidas. Úsalas solo donde un navegador rechace las cifradas.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="147"/>
        <source>“%1” is open</source>
        <translation>«%1» está abierta</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="147"/>
        <source>Hosting has stopped</source>
        <translation>La charla está cerrada</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="148"/>
        <source>Encrypted. People on your network can open one of these links in a web browser, or paste it into Tertulia&apos;s Server field:</source>
        <translation>Cifrada. Las personas de tu red pueden abrir uno de estos enlaces en un navegador web, o pegarlo en el campo Servidor de Tertulia:</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="150"/>
        <source>Encrypted. People on your network can pick your chat under “On your network”, or paste one of these links into Tertulia&apos;s Server field:</source>
        <translation>Cifrada. Las personas de tu red pueden elegir tu charla en «En tu red», o pegar uno de estos enlaces en el campo Servidor de Tertulia:</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="166"/>
        <source>Scan with a phone to join from its browser: %1 (the link also carries the certificate&apos;s fingerprint)</source>
        <translation>Escanéalo con un móvil para unirte desde su navegador: %1 (el enlace lleva también la huella del certificado)</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="168"/>
        <source>No QR code: phones would need the browser page. Host with “Let people join from a browser” to get one.</source>
        <translation>Sin código QR: los móviles necesitarían la página para navegador. Abre la charla con «Permitir unirse desde un navegador» para tenerlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="174"/>
        <source>Nobody else is connected yet.</source>
        <translation>Todavía no hay nadie más conectado.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="175"/>
        <source>1 other person is connected.</source>
        <translation>Hay otra persona conectada.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="176"/>
        <source>%1 other people are connected.</source>
        <translation>Hay %1 personas más conectadas.</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="205"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="205"/>
        <source>Unencrypted address</source>
        <translation>Dirección sin cifrar</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="207"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="209"/>
        <source>Copy %1</source>
        <translation>Copiar %1</translation>
    </message>
    <message>
        <location filename="../app/ui/sharecard.cpp" line="212"/>
        <source>Copied %1</source>
        <translation>Copiado %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::SignInPage</name>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="203"/>
        <source>Tertulia</source>
        <translation>Tertulia</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="204"/>
        <source>Sign in to a chat server, or host a chat for the people around you.</source>
        <translation>Inicia sesión en un servidor de charla, o abre una charla para la gente de tu alrededor.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="206"/>
        <source>host:port, e.g. 192.168.1.20:7420</source>
        <translation>equipo:puerto, p. ej. 192.168.1.20:7420</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="207"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="210"/>
        <source>On your &amp;network:</source>
        <translation>En tu &amp;red:</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="211"/>
        <source>Chats found on your network</source>
        <translation>Charlas encontradas en tu red</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="212"/>
        <source>&amp;User name:</source>
        <translation>Nombre de &amp;usuario:</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="213"/>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="214"/>
        <source>&amp;Password:</source>
        <translation>Co&amp;ntraseña:</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="215"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="205"/>
        <source>Serv&amp;er:</source>
        <translation>Servi&amp;dor:</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="208"/>
        <source>A recent server, an address such as 192.168.1.20:7420 or wss://chat.example.org, or a link from the host&apos;s share card (it carries the certificate&apos;s fingerprint)</source>
        <translation>Un servidor reciente, una dirección como 192.168.1.20:7420 o wss://chat.example.org, o un enlace de la tarjeta para compartir del anfitrión (lleva la huella del certificado)</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="216"/>
        <source>Password a&amp;gain:</source>
        <translation>Repite &amp;la contraseña:</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="217"/>
        <source>Repeat the password</source>
        <translation>Repite la contraseña</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="218"/>
        <source>Type the new account&apos;s password again, to be sure it is the one you meant</source>
        <translation>Escribe otra vez la contraseña de la cuenta nueva, para asegurarte de que es la que querías</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="219"/>
        <source>Re&amp;member me on this computer</source>
        <translation>Recordarme en este &amp;equipo</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="220"/>
        <source>Keeps your sign-in in the system keychain, never in a file</source>
        <translation>Guarda tu sesión en el llavero del sistema, nunca en un archivo</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="221"/>
        <source>Sign &amp;in</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="222"/>
        <source>Create &amp;account</source>
        <translation>Crear cuen&amp;ta</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="223"/>
        <source>Register this user name and password on the server, then sign in</source>
        <translation>Registrar este nombre de usuario y contraseña en el servidor, y después iniciar sesión</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="224"/>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="225"/>
        <source>Host a chat</source>
        <translation>Abrir una charla</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="226"/>
        <source>Start a chat server on this computer. People on your network can join it, and you are signed in as its administrator (with the user name above, if you typed one).</source>
        <translation>Pon en marcha un servidor de charla en este equipo. Las personas de tu red pueden unirse, y tú entras como su administrador (con el nombre de usuario de arriba, si has escrito uno).</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="228"/>
        <source>P&amp;ort:</source>
        <translation>&amp;Puerto:</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="229"/>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="230"/>
        <source>Let people join from a &amp;browser</source>
        <translation>Permitir unirse desde un nave&amp;gador</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="231"/>
        <source>Also serve a chat page, so people without the app can join with a web browser</source>
        <translation>Servir también una página de charla, para que quien no tenga la aplicación pueda unirse con un navegador web</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="232"/>
        <source>Hos&amp;t a chat</source>
        <translation>Abrir una c&amp;harla</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="284"/>
        <source>Looking for chats on your network… none found yet.</source>
        <translation>Buscando charlas en tu red… todavía no se ha encontrado ninguna.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="339"/>
        <source>Check the address, and that the server is running and reachable from this computer.</source>
        <translation>Comprueba la dirección, y que el servidor esté en marcha y se pueda alcanzar desde este equipo.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="348"/>
        <source>Choose another name, or sign in if it is yours.</source>
        <translation>Elige otro nombre, o inicia sesión si es tuyo.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="355"/>
        <source>Ask the person who runs it for an account.</source>
        <translation>Pide una cuenta a quien lo administra.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="389"/>
        <source>Enter the server&apos;s address, for example 192.168.1.20:7420.</source>
        <translation>Escribe la dirección del servidor, por ejemplo 192.168.1.20:7420.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="392"/>
        <source>“%1” is not a server address or link. Try host:port, for example 192.168.1.20:7420, or paste the link from the host&apos;s share card.</source>
        <translation>«%1» no es una dirección ni un enlace de servidor. Prueba equipo:puerto, por ejemplo 192.168.1.20:7420, o pega el enlace de la tarjeta para compartir del anfitrión.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="397"/>
        <source>Enter your user name.</source>
        <translation>Escribe tu nombre de usuario.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="401"/>
        <source>Enter your password.</source>
        <translation>Escribe tu contraseña.</translation>
    </message>
    <message>
        <location filename="../app/ui/signinpage.cpp" line="413"/>
        <source>The two passwords are not the same. Type the password again in both fields.</source>
        <translation>Las dos contraseñas no coinciden. Escríbela otra vez en los dos campos.</translation>
    </message>
</context>
<context>
    <name>Tertulia::UiText</name>
    <message>
        <location filename="../app/ui/uitext.cpp" line="12"/>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="14"/>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="33"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="42"/>
        <source>%1 is typing…</source>
        <translation>%1 está escribiendo…</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="43"/>
        <source>%1 and %2 are typing…</source>
        <translation>%1 y %2 están escribiendo…</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="44"/>
        <source>%1, %2 and %3 are typing…</source>
        <translation>%1, %2 y %3 están escribiendo…</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="45"/>
        <source>Several people are typing…</source>
        <translation>Varias personas están escribiendo…</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="66"/>
        <source>A room with that name already exists.</source>
        <translation>Ya existe una sala con ese nombre.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="67"/>
        <source>There is no room with that name, or it is private and you were not invited.</source>
        <translation>No hay ninguna sala con ese nombre, o es privada y no te han invitado.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="68"/>
        <location filename="../app/ui/uitext.cpp" line="107"/>
        <source>You are not allowed to do that in this room.</source>
        <translation>No puedes hacer eso en esta sala.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="70"/>
        <source>Room names are 1 to 64 letters or digits, dots, dashes or underscores, without spaces.</source>
        <translation>Los nombres de sala tienen de 1 a 64 letras o cifras, puntos, guiones o guiones bajos, sin espacios.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="53"/>
        <source>Too many requests. Please wait a moment and try again.</source>
        <translation>Demasiadas peticiones. Espera un momento y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="55"/>
        <source>Not connected. Try again when the connection is back.</source>
        <translation>Sin conexión. Vuelve a intentarlo cuando vuelva la conexión.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="58"/>
        <source>The server could not do that.</source>
        <translation>El servidor no ha podido hacerlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="59"/>
        <source>The server could not do that: %1</source>
        <translation>El servidor no ha podido hacerlo: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="80"/>
        <location filename="../app/ui/uitext.cpp" line="93"/>
        <source>That message is no longer there: it was deleted.</source>
        <translation>Ese mensaje ya no está: se eliminó.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="81"/>
        <source>Only the person who wrote a message can change it.</source>
        <translation>Solo quien escribió un mensaje puede cambiarlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="83"/>
        <source>The text must not be empty or longer than the server allows.</source>
        <translation>El texto no puede estar vacío ni ser más largo de lo que permite el servidor.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="94"/>
        <source>Join the room to react to its messages.</source>
        <translation>Únete a la sala para reaccionar a sus mensajes.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="95"/>
        <source>That message has as many different reactions as it can take.</source>
        <translation>Ese mensaje ya tiene todas las reacciones distintas que admite.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="96"/>
        <source>A reaction is one emoji.</source>
        <translation>Una reacción es un solo emoji.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="108"/>
        <source>Not allowed: %1</source>
        <translation>No permitido: %1</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="109"/>
        <source>That person is not in the room any more, or the room is gone.</source>
        <translation>Esa persona ya no está en la sala, o la sala ya no existe.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="119"/>
        <source>That password is not right.</source>
        <translation>Esa contraseña no es correcta.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="121"/>
        <source>Too many wrong passwords for this account. Wait a moment before trying again.</source>
        <translation>Demasiadas contraseñas incorrectas para esta cuenta. Espera un momento antes de volver a intentarlo.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="123"/>
        <source>This account has no password: it signs in through the app that hosts the chat.</source>
        <translation>Esta cuenta no tiene contraseña: inicia sesión a través de la aplicación que aloja la charla.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="124"/>
        <source>That device is no longer signed in.</source>
        <translation>Ese dispositivo ya no tiene la sesión iniciada.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="137"/>
        <source>Not sent.</source>
        <translation>No enviado.</translation>
    </message>
    <message>
        <location filename="../app/ui/uitext.cpp" line="137"/>
        <source>Not sent: %1</source>
        <translation>No enviado: %1</translation>
    </message>
</context>
<context>
    <name>Tertulia::UploadBar</name>
    <message>
        <location filename="../app/ui/uploadbar.cpp" line="63"/>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <location filename="../app/ui/uploadbar.cpp" line="64"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../app/ui/uploadbar.cpp" line="65"/>
        <source>Cancel sending %1</source>
        <translation>Cancelar el envío de %1</translation>
    </message>
    <message>
        <location filename="../app/ui/uploadbar.cpp" line="70"/>
        <source>%1: waiting for the connection</source>
        <translation>%1: esperando la conexión</translation>
    </message>
    <message>
        <location filename="../app/ui/uploadbar.cpp" line="73"/>
        <source>Sending %1: %2 of %3</source>
        <translation>Enviando %1: %2 de %3</translation>
    </message>
    <message>
        <location filename="../app/ui/uploadbar.cpp" line="77"/>
        <source>%1 was not sent: %2</source>
        <translation>%1 no se ha enviado: %2</translation>
    </message>
</context>
</TS>
