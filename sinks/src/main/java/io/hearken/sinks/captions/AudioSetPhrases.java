package io.hearken.sinks.captions;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How {@link GrammarCaptioner} says an AudioSet label: a subject and a verb phrase ("a cat" + "meows"), and a noun
 * phrase for when the sound is the background of others ("over speech"). Labels that name the same thing (Dog, Bark,
 * Bow-wow) share one phrase, so they count as one sound. A phrase is <em>generic</em> when a more specific one of its
 * family should win (Animal gives way to Dog, Speech to Female speech). Also the common group names (dog, cat, bird,
 * siren, ...) resolve here, matched without regard to case.
 */
final class AudioSetPhrases {
    /**
     * One way of saying a sound. {@code family} is a path ("animal/bird"): a generic phrase gives way to the phrases
     * within its family ("animal" to "animal/bird" and "animal"; "animal/bird" only to "animal/bird").
     */
    record Phrase(String family, boolean generic, String subject, String verb, String background) {
        String clause() {
            return subject + " " + verb;
        }

        boolean within(String otherFamily) {
            return family.equals(otherFamily) || family.startsWith(otherFamily + "/");
        }

        int depth() {
            return family.split("/").length;
        }
    }

    /** family | g(eneric) | subject | verb phrase | background noun phrase | labels and group names (;) */
    private static final String TABLE = """
            speech|g|someone|speaks|speech|Speech;Narration, monologue;speaking;voice
            speech||a man|speaks|a man's voice|Male speech, man speaking;man
            speech||a woman|speaks|a woman's voice|Female speech, woman speaking;woman
            speech||a child|speaks|a child's voice|Child speech, kid speaking;child
            speech||people|talk|conversation|Conversation
            speech||a synthetic voice|speaks|a synthetic voice|Speech synthesizer
            speech||someone|whispers|whispering|Whispering
            voice||someone|shouts|shouting|Shout;Yell;Bellow
            voice||children|shout|children shouting|Children shouting
            voice||someone|screams|screaming|Screaming;Scream
            voice||someone|laughs|laughter|Laughter;Giggle;Chuckle, chortle;Belly laugh;Snicker;Laugh
            voice||a baby|laughs|a baby's laughter|Baby laughter
            voice||someone|cries|crying|Crying, sobbing;Whimper
            voice||a baby|cries|a crying baby|Baby cry, infant cry;baby
            voice||a baby|babbles|babbling|Babbling
            crowd||a crowd|chatters|crowd chatter|Chatter;Hubbub, speech noise, speech babble;Crowd
            crowd||a crowd|cheers|cheering|Cheering
            crowd||people|applaud|applause|Applause
            singing||someone|sings|singing|Singing;Male singing;Female singing;Child singing;Chant;Rapping
            singing||a choir|sings|a choir|Choir
            human||someone|whistles|whistling|Whistling
            human||someone|hums|humming|Humming
            human||someone|coughs|coughing|Cough;Throat clearing
            human||someone|sneezes|sneezing|Sneeze
            human||someone|sniffs|sniffing|Sniff
            human||someone|breathes heavily|heavy breathing|Breathing;Gasp;Pant
            human||someone|wheezes|wheezing|Wheeze
            human||someone|snores|snoring|Snoring;Snort
            human||someone|sighs|sighing|Sigh
            human||someone|groans|groaning|Groan;Grunt
            human||someone|chews|chewing|Chewing, mastication;Biting
            human||someone|burps|burping|Burping, eructation
            human||someone|walks|footsteps|Walk, footsteps;footsteps;steps
            human||someone|runs|running footsteps|Run
            human||someone|claps|clapping|Clapping;Hands
            human||someone|snaps their fingers|finger snapping|Finger snapping
            human||someone|writes|scribbling|Writing
            human||someone|types on a keyboard|typing|Typing;Computer keyboard;Typewriter;keyboard
            animal|g|an animal|makes noises|animal noises|Animal;Wild animals;Livestock, farm animals, working animals
            animal|g|a pet|makes noises|a pet's noises|Domestic animals, pets
            animal||a dog|barks|barking|Dog;Bark;Bow-wow;Yip;Canidae, dogs, wolves
            animal||a dog|growls|growling|Growling
            animal||a dog|howls|howling|Howl
            animal||a dog|whimpers|whimpering|Whimper (dog)
            animal||a cat|meows|meowing|Cat;Meow;Caterwaul
            animal||a cat|purrs|purring|Purr
            animal/bird|g|birds|chirp|birdsong|Bird;Bird vocalization, bird call, bird song;Chirp, tweet;birds
            animal/bird|g|a bird|squawks|squawking|Fowl;Squawk
            animal/bird||a rooster|crows|crowing|Chicken, rooster;Crowing, cock-a-doodle-doo
            animal/bird||hens|cluck|clucking|Cluck
            animal/bird||a goose|honks|honking geese|Goose;Honk
            animal/bird||a duck|quacks|quacking|Duck;Quack
            animal/bird||a pigeon|coos|cooing|Pigeon, dove;Coo
            animal/bird||a crow|caws|cawing|Crow;Caw
            animal/bird||an owl|hoots|hooting|Owl;Hoot
            animal/bird||a seagull|cries|seagulls|seagull;gull
            animal||a horse|neighs|neighing|Horse;Neigh, whinny
            animal||hooves|clop|clopping hooves|Clip-clop
            animal||a cow|moos|mooing|Cattle, bovinae;Moo;cow
            animal||a pig|oinks|oinking|Pig;Oink
            animal||a sheep|bleats|bleating|Sheep;Bleat;Goat
            animal||insects|buzz|buzzing insects|Insect;Fly, housefly;Bee, wasp, etc.;Mosquito;Buzz
            animal||crickets|chirp|chirping crickets|Cricket
            animal||frogs|croak|croaking frogs|Frog;Croak
            animal||a mouse|squeaks|squeaking|Rodents, rats, mice;Mouse
            animal||a big cat|roars|roaring|Roaring cats (lions, tigers);Roar
            vehicle|g|a vehicle|passes by|passing traffic|Vehicle;Motor vehicle (road)
            vehicle||a car|passes by|passing cars|Car;Car passing by
            vehicle||traffic|rumbles|traffic noise|Traffic noise, roadway noise;traffic
            vehicle||a truck|rumbles past|a passing truck|Truck;Ice cream truck, ice cream van
            vehicle||air brakes|hiss|hissing air brakes|Air brake
            vehicle||a bus|passes by|a passing bus|Bus
            vehicle||a motorcycle|roars past|a motorcycle|Motorcycle
            vehicle||an engine|revs|a revving engine|Accelerating, revving, vroom
            vehicle||tires|squeal|squealing tires|Skidding;Tire squeal
            vehicle||a car horn|honks|honking|Vehicle horn, car horn, honking;Toot;horn
            vehicle||a train|passes|a passing train|Train;Rail transport;Railroad car, train wagon;Train wheels squealing;Subway, metro, underground
            vehicle||a train horn|blows|a train horn|Train horn;Train whistle
            vehicle||an airplane|flies overhead|an airplane overhead|Aircraft;Fixed-wing aircraft, airplane;Jet engine;Aircraft engine;Propeller, airscrew;airplane
            vehicle||a helicopter|flies overhead|a helicopter|Helicopter
            vehicle||a boat|passes|a passing boat|Boat, Water vehicle;Motorboat, speedboat;Ship;Sailboat, sailing ship;Rowboat, canoe, kayak
            vehicle||a bicycle|passes|a bicycle|Bicycle
            vehicle||a skateboard|rolls by|a skateboard|Skateboard
            vehicle/siren||a siren|wails|a wailing siren|Siren;Police car (siren);Ambulance (siren);Fire engine, fire truck (siren);Emergency vehicle;Civil defense siren
            engine|g|an engine|runs|a running engine|Engine;Idling;Medium engine (mid frequency);Light engine (high frequency);Heavy engine (low frequency);Engine starting;Engine knocking
            engine||a lawn mower|runs|a lawn mower|Lawn mower
            engine||a chainsaw|buzzes|a chainsaw|Chainsaw
            machine|g|machinery|clanks|machinery|Mechanisms;Ratchet, pawl;Gears;Pulleys;machine;machinery
            machine||a drill|whirs|a drill|Drill;Power tool;Dental drill, dentist's drill
            machine||someone|saws|sawing|Sawing;Sanding;Filing (rasp)
            machine||a hammer|pounds|hammering|Hammer;Jackhammer
            machine||a fan|whirs|a whirring fan|Mechanical fan;Air conditioning;fan
            machine||a printer|runs|a printer|Printer
            machine||a vacuum cleaner|runs|a vacuum cleaner|Vacuum cleaner
            machine||a blender|whirs|a blender|Blender
            machine||a hair dryer|blows|a hair dryer|Hair dryer
            machine||a sewing machine|runs|a sewing machine|Sewing machine
            machine||a clock|ticks|a ticking clock|Clock;Tick;Tick-tock
            machine||a camera|clicks|camera clicks|Camera;Single-lens reflex camera
            alarm|g|an alarm|sounds|an alarm|Alarm
            alarm||an alarm clock|rings|an alarm clock|Alarm clock
            alarm||a smoke alarm|beeps|a beeping smoke alarm|Smoke detector, smoke alarm;Fire alarm
            alarm||a buzzer|sounds|a buzzer|Buzzer
            alarm||something|beeps|beeping|Beep, bleep;beep
            alarm||a car alarm|goes off|a car alarm|Car alarm
            alarm||a phone|rings|a ringing phone|Telephone;Telephone bell ringing;Ringtone;Telephone dialing, DTMF;phone
            alarm||a doorbell|rings|a doorbell|Doorbell;Ding-dong
            alarm||a vehicle|beeps as it reverses|reversing beeps|Reversing beeps
            bell||a bell|rings|ringing bells|Bell;Church bell;Jingle bell;Bicycle bell;Tubular bells;Ding;Chime;Change ringing (campanology)
            bell||wind chimes|tinkle|wind chimes|Wind chime
            bell||a cowbell|clanks|a cowbell|Cowbell
            bell||a singing bowl|rings|a singing bowl|Singing bowl;Tuning fork
            water||water|runs|running water|Water;Stream;Waterfall;Pour;Trickle, dribble;Gurgling;Water tap, faucet;Sink (filling or washing);Bathtub (filling or washing);Fill (with liquid)
            water||rain|falls|rain|Rain;Raindrop;Rain on surface
            water||waves|crash|crashing waves|Ocean;Waves, surf;waves
            water||water|splashes|splashing|Splash, splatter;Slosh
            water||water|drips|dripping|Drip
            water||a toilet|flushes|a flushing toilet|Toilet flush
            water||water|boils|boiling water|Boiling
            weather||the wind|blows|the wind|Wind;Rustling leaves;Wind noise (microphone)
            weather||thunder|rumbles|thunder|Thunder;Thunderstorm
            weather||a fire|crackles|a crackling fire|Fire;Crackle
            music|g|music|plays|music|Music;Musical instrument;Background music;Pop music;Rock music;Electronic music;Classical music
            music||a guitar|plays|a guitar|Guitar;Acoustic guitar;Electric guitar;Bass guitar;Strum;Plucked string instrument
            music||a piano|plays|a piano|Piano;Keyboard (musical);Electric piano
            music||drums|play|drums|Drum;Drum kit;Percussion;Snare drum;Bass drum;Drum roll
            music||a violin|plays|a violin|Violin, fiddle;Bowed string instrument;Cello
            music||an orchestra|plays|an orchestra|Orchestra
            music||a flute|plays|a flute|Flute
            music||a trumpet|plays|a trumpet|Trumpet;Brass instrument
            music||a xylophone|plays|a xylophone|Marimba, xylophone;Glockenspiel;Vibraphone
            music||a synthesizer|plays|a synthesizer|Synthesizer
            domestic||a door|closes|a door|Door;Sliding door
            domestic||a door|slams|a slamming door|Slam
            domestic||someone|knocks|knocking|Knock;Tap
            domestic||a cupboard|opens and closes|a cupboard|Cupboard open or close;Drawer open or close
            domestic||dishes|clatter|clattering dishes|Dishes, pots, and pans;Cutlery, silverware;dishes
            domestic||food|sizzles|sizzling food|Frying (food)
            domestic||a microwave|hums|a microwave|Microwave oven
            domestic||keys|jangle|jangling keys|Keys jangling
            domestic||a coin|drops|a dropping coin|Coin (dropping)
            domestic||scissors|snip|scissors|Scissors
            domestic||a zipper|is pulled|a zipper|Zipper (clothing)
            domestic||cards|are shuffled|shuffling cards|Shuffling cards
            domestic||paper|crinkles|crinkling paper|Crumpling, crinkling;Rustle
            domestic||paper|tears|tearing paper|Tearing
            domestic||glass|clinks|clinking glass|Glass;Chink, clink
            domestic||glass|shatters|shattering glass|Shatter;Breaking
            domestic||something|creaks|creaking|Creak;Squeak
            domestic||something|clicks|clicking|Clicking
            domestic||something|thuds|thuds|Thump, thud
            impact||a gunshot|rings out|gunfire|Gunshot, gunfire;Machine gun;Cap gun;gunshot
            impact||an explosion|booms|explosions|Explosion;Boom;Artillery fire
            impact||fireworks|pop|fireworks|Fireworks;Firecracker
            impact||something|bangs|banging|Bang
            misc||something|hisses|hissing|Hiss
            misc||something|whooshes|whooshing|Whoosh, swoosh, swish
            misc||something|rumbles|rumbling|Rumble
            misc||something|scrapes|scraping|Scrape
            misc||something|is crushed|crushing|Crushing
            misc||something|patters|pattering|Patter
            """;

    /** Scene labels: said once, as where it all happens. */
    private static final Map<String, String> SETTINGS = Map.of(
            "inside, small room", "in a small room",
            "inside, large room or hall", "in a large hall",
            "inside, public space", "in a public place",
            "outside, urban or manmade", "outdoors in a town",
            "outside, rural or natural", "outdoors in the countryside");

    /** Labels that describe the recording rather than a sound in it. */
    private static final Set<String> SILENT = Set.of("silence");
    private static final Set<String> IGNORED = Set.of("sound effect", "noise", "environmental noise", "echo",
            "reverberation", "static", "white noise", "pink noise", "field recording", "vibration",
            "cacophony", "sine wave", "chirp tone", "hum", "mains hum");

    private static final Map<String, Phrase> PHRASES = new HashMap<>();

    static {
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.split("\\|", -1);
            if (f.length != 6) {
                throw new IllegalStateException("bad phrase row: " + line);
            }
            Phrase phrase = new Phrase(f[0], f[1].equals("g"), f[2], f[3], f[4]);
            for (String label : f[5].split(";")) {
                if (PHRASES.put(key(label), phrase) != null) {
                    throw new IllegalStateException("label listed twice in the phrase table: " + label);
                }
            }
        }
    }

    private AudioSetPhrases() {
    }

    /** The phrase of a label or group name, or null when the table does not know it. */
    static Phrase phrase(String label) {
        return PHRASES.get(key(label));
    }

    /** "in a small room" for a scene label, else null. */
    static String setting(String label) {
        return SETTINGS.get(key(label));
    }

    static boolean ignored(String label) {
        return IGNORED.contains(key(label));
    }

    static boolean silence(String label) {
        return SILENT.contains(key(label));
    }

    /**
     * The generic phrase for a label the table does not know: "&lt;label&gt; is heard", with the label's first
     * comma-separated name in lower case and without parenthesised qualifiers ("Whoosh, swoosh, swish" → "whoosh").
     */
    static Phrase fallback(String label) {
        String noun = label.replaceAll("\\s*\\([^)]*\\)", "");
        int comma = noun.indexOf(',');
        noun = (comma > 0 ? noun.substring(0, comma) : noun).strip();
        if (!noun.equals(noun.toUpperCase(Locale.ROOT)) || noun.length() > 4) {
            noun = noun.toLowerCase(Locale.ROOT); // keep acronyms such as "DTMF"
        }
        if (noun.isEmpty()) {
            noun = "a sound";
        }
        return new Phrase("other:" + noun, false, noun, "is heard", noun);
    }

    private static String key(String label) {
        return label.strip().toLowerCase(Locale.ROOT);
    }
}
