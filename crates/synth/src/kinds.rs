//! The kinds of happening the synthetic world reports, each with the sentences its
//! articles are made of. All text here is written for this generator.
//!
//! Slots in a template: `{A}` and `{B}` the first and second person in full, `{As}` and
//! `{Bs}` their surnames, `{Ar}` and `{Br}` their roles; `{X}` and `{Y}` the first and
//! second organisation; `{P}` the place, `{C}` its country, `{D}` the country of the
//! second party; `{T}` the thing at stake (a title, a product, a mission); `{N1}`, `{N2}`,
//! `{N3}` the event's figures; `{W}` when it happened, relative to the article's
//! publication ("on Tuesday", "yesterday").

/// One kind of happening.
#[derive(Debug)]
pub struct Kind {
    /// The category the event belongs to (a key of chronicle's taxonomy).
    pub category: &'static str,
    /// The organisation kinds of `{X}` and `{Y}`.
    pub orgs: [OrgKind; 2],
    /// Roles of `{A}` and `{B}`.
    pub roles: [&'static str; 2],
    /// Range of the figures `{N1}`, `{N2}`, `{N3}`.
    pub figures: [(u32, u32); 3],
    pub titles: &'static [&'static str],
    pub leads: &'static [&'static str],
    pub facts: &'static [&'static str],
    /// Direct quotations (without the attribution, which the writer adds).
    pub quotes: &'static [&'static str],
    /// Sentences of later coverage.
    pub follow_ups: &'static [&'static str],
    /// How an earlier event of the same story is recalled: `{W}` is its month.
    pub background: &'static [&'static str],
}

/// What an organisation is, which decides its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    Company,
    Union,
    Council,
    Ministry,
    Party,
    Club,
    Court,
    University,
    Emergency,
    Space,
    Film,
    Military,
    Studio,
}

pub const KINDS: &[Kind] = &[
    Kind {
        category: "disasters_and_accidents",
        orgs: [OrgKind::Emergency, OrgKind::Council],
        roles: ["head of {X}", "mayor of {P}"],
        figures: [(4, 7), (2, 240), (10, 900)],
        titles: &[
            "Magnitude {N1} earthquake strikes {P}, {N2} dead",
            "{P} earthquake: death toll rises to {N2}",
            "Strong quake shakes {P} region of {C}",
        ],
        leads: &[
            "An earthquake of magnitude {N1} struck near {P} in {C} {W}, killing at least {N2} people and injuring {N3}, according to {X}.",
            "At least {N2} people died when a magnitude {N1} earthquake hit the {P} area {W}, officials in {C} said.",
            "Rescue teams in {C} searched collapsed buildings in {P} after a magnitude {N1} earthquake {W} left {N2} people dead.",
        ],
        facts: &[
            "The tremor was felt as far as the coast, and several aftershocks followed within the hour.",
            "{X} said {N3} people had been taken to hospital, some of them with serious injuries.",
            "Schools in {P} will stay closed for the rest of the week while engineers inspect them.",
            "The old town, with its narrow streets and stone houses, was the worst hit.",
            "Roads into {P} were blocked by landslides, slowing the arrival of heavy equipment.",
            "{As}, the {Ar}, said the search would go on through the night.",
        ],
        quotes: &[
            "We are still pulling people out of the rubble and we will not stop until everyone is found",
            "Whole streets have gone, and many families have nowhere to sleep tonight",
            "The next forty-eight hours are critical for anyone still trapped",
            "We need tents, water and blankets more than anything else right now",
        ],
        follow_ups: &[
            "Aid convoys reached {P} on the third day, and the number of people in shelters rose to {N3}.",
            "Investigators are looking at whether building rules were ignored in the newer districts of {P}.",
            "The government of {C} declared a state of emergency for the region and released emergency funds.",
        ],
        background: &[
            "The region was hit by a smaller earthquake in {W}, which damaged the same districts.",
        ],
    },
    Kind {
        category: "business_and_economy",
        orgs: [OrgKind::Union, OrgKind::Company],
        roles: ["general secretary of {X}", "chief executive of {Y}"],
        figures: [(300, 9000), (2, 15), (3, 12)],
        titles: &[
            "{N1} workers walk out at {Y} in pay dispute",
            "Strike halts work at {Y} in {P}",
            "{X} calls {N2}-day strike at {Y}",
        ],
        leads: &[
            "About {N1} workers at {Y} in {P} walked off the job {W} after talks over pay broke down, {X} said.",
            "{X} began a {N2}-day strike at {Y} {W}, stopping work at its sites in {P}.",
            "Work at {Y}'s plant in {P} came to a halt {W} as {N1} members of {X} went on strike over wages.",
        ],
        facts: &[
            "The union is asking for a rise of {N3} percent, while {Y} has offered less than half that.",
            "Picket lines formed at the main gates before dawn, and lorries queued on the approach road.",
            "{Y} said it had contingency plans in place and that deliveries would resume shortly.",
            "{As}, {Ar}, said members had voted overwhelmingly for the action.",
            "The last strike at the site, two years ago, lasted more than a week.",
        ],
        quotes: &[
            "Our members have waited long enough for a fair offer",
            "The door to talks remains open, but the offer on the table is final",
            "Nobody wants a strike, but prices have gone up and wages have not",
            "We regret the disruption this will cause to our customers",
        ],
        follow_ups: &[
            "Talks between {X} and {Y} resumed under a mediator, with both sides saying progress was slow.",
            "Local businesses in {P} said the dispute was already costing them trade.",
            "{Bs}, the {Br}, said the company would not improve its offer while the strike continued.",
        ],
        background: &[
            "The dispute began in {W}, when {X} first rejected the company's pay offer.",
            "Workers at {Y} held a one-day stoppage in {W} over the same pay claim.",
        ],
    },
    Kind {
        category: "politics_and_elections",
        orgs: [OrgKind::Party, OrgKind::Party],
        roles: ["leader of {X}", "leader of {Y}"],
        figures: [(36, 58), (20, 40), (45, 80)],
        titles: &[
            "{A} wins {P} mayoral election",
            "{X} takes {P} as {A} is elected mayor",
            "{P} votes: {A} beats {B}",
        ],
        leads: &[
            "{A} of {X} won the mayoral election in {P} {W} with {N1} percent of the vote, defeating {B} of {Y}.",
            "Voters in {P} elected {A} as their new mayor {W}, giving {X} control of the city for the first time in years.",
            "{A} was declared winner of the {P} mayoral race {W}, taking {N1} percent against {N2} percent for {B}.",
        ],
        facts: &[
            "Turnout was {N3} percent, higher than at the last election.",
            "{A} campaigned on cheaper public transport and more housing for young families.",
            "{B} conceded defeat shortly after midnight and congratulated the winner.",
            "The result is seen as a test for the national government of {C} ahead of next year's general election.",
            "Counting was delayed in two districts after a problem with the electronic tally.",
        ],
        quotes: &[
            "Tonight the people of this city chose change, and I intend to deliver it",
            "We fought a good campaign and I respect the decision of the voters",
            "The real work starts tomorrow morning",
            "This result belongs to every volunteer who knocked on a door in the rain",
        ],
        follow_ups: &[
            "{A} named a deputy mayor and promised to publish the city's accounts within a hundred days.",
            "Analysts in {C} said the result showed growing frustration with the established parties.",
            "{Y} said it would review its campaign after its worst result in {P} in a generation.",
        ],
        background: &[
            "{A} first stood for mayor in {W}, losing narrowly.",
            "The campaign began in earnest in {W}, when {B} announced a bid for a second term.",
        ],
    },
    Kind {
        category: "law_and_crime",
        orgs: [OrgKind::Court, OrgKind::Company],
        roles: ["former finance director of {Y}", "prosecutor"],
        figures: [(2, 12), (1, 40), (3, 20)],
        titles: &[
            "{A} jailed for {N1} years over fraud at {Y}",
            "Former {Y} executive {A} sentenced to {N1} years",
            "Court convicts {A} of defrauding investors",
        ],
        leads: &[
            "{A}, the {Ar}, was sentenced to {N1} years in prison {W} after {X} found {As} guilty of fraud worth {N2} million.",
            "{X} {W} jailed {A} for {N1} years for hiding losses of {N2} million at {Y}.",
            "A court in {P} sentenced {A} to {N1} years {W} for a fraud that cost investors in {Y} {N2} million.",
        ],
        facts: &[
            "The trial heard evidence from {N3} witnesses over several weeks.",
            "Prosecutors said the losses had been hidden in accounts held abroad.",
            "{As} denied the charges throughout, and the defence said an appeal would follow.",
            "{Bs}, the {Br}, told the court the scheme had been carefully planned.",
            "The judge ordered that assets worth {N3} million be seized.",
        ],
        quotes: &[
            "This was a deliberate and sustained deception of people who trusted him",
            "My client maintains his innocence and we will appeal",
            "Nobody is above the law, however senior their position",
            "The investors who lost their savings deserve to see justice done",
        ],
        follow_ups: &[
            "Shareholders of {Y} said they would seek compensation in the civil courts.",
            "Regulators in {C} announced a review of how the losses went undetected for so long.",
            "{Y} said it had overhauled its controls since the fraud came to light.",
        ],
        background: &[
            "{As} was arrested in {W} after auditors raised concerns about the accounts.",
            "The trial opened in {W} and heard from former colleagues of {As}.",
        ],
    },
    Kind {
        category: "business_and_economy",
        orgs: [OrgKind::Company, OrgKind::Company],
        roles: ["chief executive of {X}", "founder of {Y}"],
        figures: [(50, 4000), (100, 3000), (5, 40)],
        titles: &[
            "{X} agrees to buy {Y} for {N1} million",
            "{X} to acquire rival {Y}",
            "{Y} sold to {X} in {N1} million deal",
        ],
        leads: &[
            "{X} has agreed to buy {Y} for {N1} million, the companies said {W}, creating the largest firm of its kind in {C}.",
            "{X} {W} announced a deal to acquire {Y} for {N1} million in cash and shares.",
            "The board of {Y} accepted a {N1} million takeover offer from {X} {W}.",
        ],
        facts: &[
            "The combined company will employ about {N2} people.",
            "Shares in {Y} rose {N3} percent on the news.",
            "The deal needs the approval of competition regulators in {C}.",
            "{As}, the {Ar}, said the two businesses fitted together naturally.",
            "{Y} will keep its name and its headquarters in {P}.",
        ],
        quotes: &[
            "Together we can offer our customers more than either of us could alone",
            "This is the right home for the company I started",
            "We do not expect any job losses as a result of the merger",
            "Regulators will want to look closely at a deal of this size",
        ],
        follow_ups: &[
            "Competition regulators in {C} opened an inquiry into the takeover.",
            "Unions at {Y} asked for written guarantees that jobs in {P} would be kept.",
            "Analysts said {X} had paid a high price to fend off other bidders.",
        ],
        background: &["{X} first approached {Y} in {W}, when its offer was turned down."],
    },
    Kind {
        category: "sports",
        orgs: [OrgKind::Club, OrgKind::Club],
        roles: ["manager of {X}", "captain of {Y}"],
        figures: [(1, 5), (0, 3), (8000, 60000)],
        titles: &[
            "{X} beat {Y} {N1}-{N2} to reach the cup final",
            "{X} into final after win over {Y}",
            "Late goal sends {X} past {Y}",
        ],
        leads: &[
            "{X} beat {Y} {N1}-{N2} in the cup semi-final in {P} {W}, reaching the final for the first time in a decade.",
            "A late goal gave {X} a {N1}-{N2} win over {Y} {W} and a place in the cup final.",
            "{X} reached the cup final {W} after beating {Y} {N1}-{N2} in front of {N3} fans in {P}.",
        ],
        facts: &[
            "The match was level at half-time after a cautious first half.",
            "{Y} had a goal ruled out for offside midway through the second half.",
            "The crowd of {N3} was the largest at the ground this season.",
            "{As}, the {Ar}, made three changes to the side that lost at the weekend.",
            "The final will be played next month at the national stadium.",
        ],
        quotes: &[
            "The players showed real character after a difficult week",
            "We had our chances and we did not take them",
            "Reaching a final means everything to this town",
            "I thought we deserved at least a draw",
        ],
        follow_ups: &[
            "Tickets for the final sold out within hours of going on sale.",
            "{Y} said it would appeal against the red card shown late in the match.",
            "{Bs}, the {Br}, apologised to the supporters after the defeat.",
        ],
        background: &["The two sides last met in {W}, when {Y} won comfortably."],
    },
    Kind {
        category: "international_relations",
        orgs: [OrgKind::Ministry, OrgKind::Ministry],
        roles: ["foreign minister of {C}", "foreign minister of {D}"],
        figures: [(2, 6), (10, 400), (1, 9)],
        titles: &[
            "{C} and {D} agree to reopen border crossings",
            "Foreign ministers of {C} and {D} meet in {P}",
            "{A} and {B} sign agreement in {P}",
        ],
        leads: &[
            "The foreign ministers of {C} and {D} agreed {W} in {P} to reopen {N1} border crossings closed since last year.",
            "{A} and {B}, the foreign ministers of {C} and {D}, signed an agreement in {P} {W} to restore trade links.",
            "{C} and {D} {W} ended a long diplomatic freeze with talks between their foreign ministers in {P}.",
        ],
        facts: &[
            "The talks lasted more than {N1} hours and ended with a joint statement.",
            "Trade between the two countries had fallen by {N2} million since the crossings were closed.",
            "Ambassadors will return to both capitals within a month.",
            "{As} said a working group would meet every {N3} weeks to settle outstanding questions.",
            "Protesters gathered outside the conference hall in {P} during the talks.",
        ],
        quotes: &[
            "Today we chose dialogue over distance",
            "There is still a great deal of work to do, but this is a real beginning",
            "Our citizens on both sides of the border have waited too long",
            "Trust is rebuilt one step at a time",
        ],
        follow_ups: &[
            "The first lorries crossed the reopened border early in the morning, watched by customs officers from both sides.",
            "Opposition parties in {D} criticised the agreement as too generous.",
            "{Bs} said a full treaty could be ready by the end of the year.",
        ],
        background: &[
            "Relations between {C} and {D} broke down in {W} after a dispute over fishing rights.",
            "An earlier round of talks in {W} ended without agreement.",
        ],
    },
    Kind {
        category: "health_and_environment",
        orgs: [OrgKind::Ministry, OrgKind::Company],
        roles: ["health minister of {C}", "head of quality at {Y}"],
        figures: [(20, 900), (2, 30), (1, 12)],
        titles: &[
            "{Y} recalls {T} after {N1} people fall ill",
            "Health alert over {T} made by {Y}",
            "{X} orders recall of {T}",
        ],
        leads: &[
            "{Y} recalled its {T} {W} after {N1} people in {C} fell ill, {X} said.",
            "{X} ordered {Y} to withdraw all batches of {T} {W} following reports of illness in {P}.",
            "Health officials in {C} {W} told people not to use {T}, made by {Y}, after {N1} cases of illness were linked to it.",
        ],
        facts: &[
            "{N2} people were treated in hospital and all are expected to recover.",
            "Shops were told to remove the product from their shelves immediately.",
            "Tests found contamination in batches produced at the company's plant in {P}.",
            "{As}, the {Ar}, said the recall was a precaution while tests continued.",
            "Customers can return the product for a full refund.",
        ],
        quotes: &[
            "The safety of the public comes first, and we acted as soon as we had the results",
            "We are deeply sorry for the distress this has caused",
            "Anyone who feels unwell after using the product should see a doctor",
            "We will find out exactly how this happened",
        ],
        follow_ups: &[
            "Inspectors found a fault in a cooling unit at the plant in {P}, according to a report published by {X}.",
            "The number of people reporting illness rose to {N1}, officials said.",
            "{Y} said production would not restart until the inspection was complete.",
        ],
        background: &["{Y} faced a smaller recall in {W} over a labelling error."],
    },
    Kind {
        category: "science_and_technology",
        orgs: [OrgKind::Space, OrgKind::University],
        roles: ["director of {X}", "professor at {Y}"],
        figures: [(200, 2000), (3, 15), (2, 9)],
        titles: &[
            "{X} launches {T} observation satellite",
            "{T} satellite reaches orbit",
            "{C} puts {T} into orbit",
        ],
        leads: &[
            "{X} launched the {T} satellite {W} from its base near {P}, sending it to an orbit {N1} kilometres above the Earth.",
            "The {T} satellite, built with researchers at {Y}, reached orbit {W} after a launch from {P}.",
            "{C}'s space programme sent the {T} satellite into orbit {W}, {X} said.",
        ],
        facts: &[
            "The satellite will measure sea temperatures and ice cover for at least {N2} years.",
            "It carries instruments designed by a team at {Y}.",
            "The launch had been delayed twice because of high winds.",
            "{As}, the {Ar}, said the first images were expected within {N3} weeks.",
            "The mission cost about {N1} million, shared between government and universities.",
        ],
        quotes: &[
            "Years of work by hundreds of people came down to these few minutes",
            "The data will help farmers and fishing crews plan their seasons",
            "Everything went exactly as planned",
            "We will be listening for the first signals tonight",
        ],
        follow_ups: &[
            "{X} released the first images from {T}, showing the coast near {P}.",
            "Engineers at {Y} said all instruments on {T} were working.",
            "{Bs}, the {Br}, said the data would be free for anyone to use.",
        ],
        background: &[
            "A first attempt to launch {T} was called off in {W} because of a fuel leak.",
        ],
    },
    Kind {
        category: "arts_and_culture",
        orgs: [OrgKind::Studio, OrgKind::Film],
        roles: ["director of {T}", "chair of the jury"],
        figures: [(2, 9), (10, 60), (1, 30)],
        titles: &[
            "{T} wins top prize at {P} film festival",
            "{A}'s {T} takes festival award",
            "{P} festival honours {A} for {T}",
        ],
        leads: &[
            "{T}, directed by {A}, won the main prize at the {P} film festival {W}.",
            "{A} took the top award at the {P} film festival {W} for {T}, a drama produced by {X}.",
            "The jury of the {P} film festival {W} gave its main prize to {T} by {A}.",
        ],
        facts: &[
            "The film follows a family of fishermen over {N1} generations.",
            "{N2} films from around the world were in competition this year.",
            "{A} thanked the cast, many of whom had never acted before.",
            "{Bs}, the {Br}, said the jury's decision had been unanimous.",
            "The film will open in cinemas across {C} next month.",
        ],
        quotes: &[
            "This film was made by a whole village, and this prize is theirs",
            "It is a quiet film that stays with you for days",
            "I never expected to be standing on this stage",
            "Cinema can still surprise us",
        ],
        follow_ups: &[
            "Distributors in {N2} countries bought the rights to {T} after the festival.",
            "{X} said ticket sales for {T} had tripled since the award.",
            "{A} said the next film would also be shot in {C}.",
        ],
        background: &["{A}'s previous film was shown at the festival in {W}."],
    },
    Kind {
        category: "armed_conflicts_and_attacks",
        orgs: [OrgKind::Military, OrgKind::Council],
        roles: ["spokesperson for {X}", "governor of {P}"],
        figures: [(2, 60), (5, 200), (1, 9)],
        titles: &[
            "Attack on army post near {P} kills {N1}",
            "{N1} dead in clashes near {P}",
            "Gunmen attack checkpoint in {P} province",
        ],
        leads: &[
            "Gunmen attacked an army post near {P} in {C} {W}, killing {N1} soldiers and wounding {N2}, {X} said.",
            "At least {N1} people were killed {W} in clashes between armed groups and security forces near {P}.",
            "An attack on a checkpoint outside {P} {W} left {N1} dead, according to {X}.",
        ],
        facts: &[
            "No group has said it carried out the attack.",
            "Reinforcements were sent to the area and a curfew was declared.",
            "The wounded were taken to the military hospital in the provincial capital.",
            "{As}, the {Ar}, said the attackers had fled towards the hills.",
            "It was the deadliest attack in the province for {N3} months.",
        ],
        quotes: &[
            "Those responsible will be found and brought to justice",
            "People here are afraid to leave their homes after dark",
            "Our soldiers defended the post with great courage",
            "We call on all sides to stop the violence",
        ],
        follow_ups: &[
            "Security forces said they had detained {N3} suspects in villages around {P}.",
            "Funerals for the soldiers were held in their home towns, attended by thousands.",
            "{Bs}, the {Br}, asked the government of {C} for more troops.",
        ],
        background: &["A similar attack near {P} in {W} killed several police officers."],
    },
];

/// Generic sentences any article may carry between its facts: context, process and
/// colour that make texts longer without adding facts. `{P}` and `{C}` are filled.
pub const FILLER: &[&str] = &[
    "Officials said more information would be released in the coming days.",
    "The announcement came after weeks of speculation in {C}.",
    "Residents said they had been following the news closely.",
    "Local radio carried the news throughout the morning.",
    "It was not immediately clear what the longer-term consequences would be.",
    "Several people who spoke to reporters asked not to be named.",
    "The government of {C} has not yet commented publicly.",
    "Opposition figures called for a full and open inquiry.",
    "A statement was posted on the organisation's website later in the day.",
    "The news spread quickly on social media, where reactions were divided.",
    "Similar cases elsewhere have taken months to resolve.",
    "Observers said the coming weeks would show whether the change would last.",
    "Traffic in the centre was heavier than usual for much of the afternoon.",
    "The weather was mild, with light rain in the evening.",
    "A public meeting is planned at the town hall in {P} next week.",
    "Newspapers gave the story prominent coverage on their front pages.",
    "Some shops closed early, their owners said.",
    "The figures could change as more information becomes available.",
    "An independent expert said it was too early to draw firm conclusions.",
    "Questions were raised in parliament about how the matter had been handled.",
    "Previous governments had promised reforms that were never carried out.",
    "Community groups offered help to those affected.",
    "A helpline has been set up for anyone with questions.",
    "The matter is expected to come up at the next cabinet meeting.",
    "Economists said the effect on prices would probably be small.",
    "Some residents said they had expected the news for some time.",
    "Younger people were more likely to welcome the change, a recent survey found.",
    "The council of {P} said it would publish a full report.",
    "Visitors to {P} were advised to check the latest information before travelling.",
    "Further statements are expected later this week.",
];

/// Words outlets put differently: each outlet settles on one of each group, so that
/// two outlets telling the same facts do not use the same sentences.
pub const VARIANTS: &[&[&str]] = &[
    &["said", "stated", "told reporters", "confirmed"],
    &["people", "residents", "citizens", "locals"],
    &["officials", "authorities", "the authorities", "officials"],
    &["announced", "unveiled", "made public", "disclosed"],
    &["at least", "no fewer than", "a minimum of", "at least"],
    &["about", "around", "roughly", "some"],
    &["immediately", "at once", "straight away", "without delay"],
    &["several", "a number of", "various", "a handful of"],
    &["expected", "likely", "set", "due"],
    &["closely", "carefully", "attentively", "intently"],
    &["began", "started", "got under way", "opened"],
    &["more than", "over", "upwards of", "in excess of"],
    &[
        "the coming days",
        "the days ahead",
        "the next few days",
        "the coming week",
    ],
    &["later", "afterwards", "subsequently", "later on"],
    &["calls for", "demands for", "appeals for", "pleas for"],
    &["criticised", "attacked", "condemned", "faulted"],
    &["helped", "assisted", "aided", "supported"],
    &["large", "big", "major", "sizeable"],
    &["small", "minor", "modest", "limited"],
    &["quickly", "rapidly", "swiftly", "fast"],
];
