"""The sentences and names of the tagging data set (engine.data.entities), written for Hafiza
in each variety's own voice: Moroccan names and cities in Darija, Egyptian ones in Egyptian
Arabic, Iranian ones in Persian, names from across the Arab world in Arabic and from
everywhere in English.

A template is a sentence with slots: {PER} a person, {LOC} a city or a country, {ORG} an
organisation (a company, a club, a university, a bank); {PER2}, {LOC2}, {ORG2} a second one
of the same kind. Words in brackets, [masculine|feminine], agree with the first person's
gender (Darija «[ساكن|ساكنة]», Arabic «[يعمل|تعمل]»); Persian needs none.

``templates`` make the training sentences; ``held_out_templates`` only the held-out ones: new
sentences made of the training sentences' everyday words, filled with names from the held-out
quarter of every list (engine.data.entities), so the F1 on them measures what the tagger
learned from the context rather than the names it memorised. A slot never sits inside a word
(Darija writes «ف الرباط» here, not «فالرباط»), so each name stays whole words.
"""

from __future__ import annotations

from typing import NamedTuple


class EntityWords(NamedTuple):
    templates: tuple[str, ...]
    held_out_templates: tuple[str, ...]
    male_names: tuple[str, ...]  # the gender picks [his|her] words of a template
    female_names: tuple[str, ...]
    family_names: tuple[str, ...]
    places: tuple[str, ...]  # cities and countries: both are tagged LOC
    organisations: tuple[str, ...]


ARY = EntityWords(
    templates=(
        "{PER} [ساكن|ساكنة] ف {LOC} هادي شي عشر سنين",
        "البارح [مشا|مشات] {PER} عند [خالتو|خالتها] ف {LOC}",
        "{PER} [خدام|خدامة] ف {ORG} هادي عامين",
        "{PER} و {PER2} تلاقاو ف {LOC} الصيف لي فات",
        "{ORG} غادي تحل فرع جديد ف {LOC}",
        "شفت {PER} [كيهضر|كتهضر] ف التلفزة على {ORG}",
        "واش عمرك زرتي {LOC}؟",
        "{PER} [كيقرا|كتقرا] ف {ORG} و [ساكن|ساكنة] ف {LOC}",
        "الصيف الجاي غادي نمشيو ل {LOC} مع {PER}",
        "خويا خدام مع {ORG} ف {LOC}",
        "{PER} [جا|جات] من {LOC} باش [يخدم|تخدم] ف {ORG}",
        "كنعرف {PER} مزيان، راه [ولد|بنت] {LOC}",
        "{ORG} شغلات {PER} هاد الشهر",
        "الطيارة لي جاية من {LOC} تعطلات اليوم",
        "{PER} [ربح|ربحات] الجايزة ديال {ORG}",
        "الواليدة كتبغي {LOC} بزاف",
        "{PER} [قال|قالت] ليا بلي {LOC} زوينة ف الربيع",
        "الماتش بين {ORG} و {ORG2} غادي يكون ف {LOC}",
        "{PER} و {PER2} خدامين بجوج ف {ORG}",
        "من {LOC} حتى ل {LOC2} كاين غير الطريق السيار",
    ),
    held_out_templates=(
        "البارح شفت {PER} ف {LOC}",
        "{PER} [خدام|خدامة] مع {ORG} ف {LOC}",
        "{PER} [قال|قالت] ليا بلي {ORG} غادي تحل فرع جديد",
        "كنعرف {PER} من {ORG}",
        "الطريق ل {LOC} زوينة ف الربيع",
        "{PER} [مشا|مشات] ل {LOC2} من {LOC}",
    ),
    male_names=("يوسف", "محمد", "أمين", "سعيد", "حمزة", "عبد الرحيم", "إلياس", "رشيد"),
    female_names=("فاطمة الزهراء", "خديجة", "مريم", "سكينة", "نعيمة", "هند", "حفصة", "سلمى"),
    family_names=("العلمي", "بناني", "التازي", "الإدريسي", "المرابط", "الفاسي", "الشرقاوي",
                  "أمزيان", "العمراني", "بوزيدي", "الكتاني", "الوزاني", "بلحاج", "أيت علي",
                  "الصنهاجي", "بنجلون"),
    places=("الرباط", "كازا", "طنجة", "فاس", "مراكش", "أكادير", "وجدة", "مكناس", "تطوان",
            "العيون", "الصويرة", "الحسيمة", "بني ملال", "الجديدة", "شفشاون", "ورزازات",
            "فرنسا", "إسبانيا", "بلجيكا", "هولندا", "إيطاليا", "كندا", "ألمانيا", "تركيا"),
    organisations=("الرجاء", "الوداد", "اتصالات المغرب", "المكتب الوطني للسكك الحديدية",
                   "جامعة محمد الخامس", "بنك المغرب", "البنك الشعبي", "الخطوط الملكية المغربية",
                   "جامعة القاضي عياض", "المكتب الشريف للفوسفاط", "إنوي", "مرجان",
                   "الجيش الملكي", "دوزيم", "اتحاد طنجة", "أسواق السلام"),
)

ARZ = EntityWords(
    templates=(
        "{PER} [ساكن|ساكنة] في {LOC} من زمان",
        "امبارح {PER} [سافر|سافرت] {LOC} مع [صحابه|صحابها]",
        "{PER} [بيشتغل|بتشتغل] في {ORG} [بقاله|بقالها] سنتين",
        "{PER} و {PER2} اتقابلوا في {LOC} الصيف اللي فات",
        "{ORG} هتفتح فرع جديد في {LOC}",
        "شفت {PER} [بيتكلم|بتتكلم] في التليفزيون عن {ORG}",
        "انت عمرك رحت {LOC} قبل كده؟",
        "{PER} [بيدرس|بتدرس] في {ORG} و [ساكن|ساكنة] في {LOC}",
        "الصيف الجاي هنروح {LOC} مع {PER}",
        "أخويا بيشتغل مع {ORG} في {LOC}",
        "{PER} [جه|جت] من {LOC} عشان [يشتغل|تشتغل] في {ORG}",
        "أنا عارف {PER} كويس، [ده|دي] من {LOC}",
        "{ORG} شغلت {PER} الشهر ده",
        "الطيارة الجاية من {LOC} اتأخرت النهارده",
        "{PER} [كسب|كسبت] الجايزة بتاعة {ORG}",
        "ماما بتحب {LOC} أوي",
        "{PER} [قالي|قالتلي] إن {LOC} حلوة أوي في الربيع",
        "الماتش بين {ORG} و {ORG2} هيتلعب في {LOC}",
        "{PER} و {PER2} بيشتغلوا سوا في {ORG}",
        "الطريق من {LOC} لحد {LOC2} زحمة على طول",
    ),
    held_out_templates=(
        "امبارح شفت {PER} في {LOC}",
        "{PER} [بيشتغل|بتشتغل] مع {ORG} في {LOC}",
        "{PER} [قالي|قالتلي] إن {ORG} هتفتح فرع جديد",
        "أنا عارف {PER} من {ORG}",
        "الطريق لحد {LOC} حلوة أوي في الربيع",
        "{PER} [سافر|سافرت] {LOC2} من {LOC}",
    ),
    male_names=("أحمد", "محمود", "مصطفى", "كريم", "عمرو", "شريف", "هاني", "طارق"),
    female_names=("منى", "هبة", "ياسمين", "نادية", "سلمى", "دينا", "رانيا", "شيماء"),
    family_names=("عبد العزيز", "السيد", "الشناوي", "منصور", "فهمي", "حسنين", "عبد الفتاح",
                  "سليمان", "الجمال", "رشدي", "زكي", "عاشور", "النجار", "شلبي", "البحيري",
                  "الدسوقي"),
    places=("القاهرة", "إسكندرية", "الجيزة", "أسوان", "الأقصر", "المنصورة", "طنطا", "بورسعيد",
            "الإسماعيلية", "الزقازيق", "المنيا", "دمياط", "الغردقة", "شرم الشيخ", "أسيوط",
            "السويس", "السعودية", "الكويت", "الإمارات", "إيطاليا", "ألمانيا", "فرنسا",
            "السودان", "الأردن"),
    organisations=("الأهلي", "الزمالك", "جامعة القاهرة", "جامعة عين شمس", "بنك مصر",
                   "البنك الأهلي", "المصرية للاتصالات", "فودافون", "مصر للطيران",
                   "السكة الحديد", "الإسماعيلي", "بيراميدز", "دار الأوبرا", "أورنج",
                   "المقاولون العرب", "جامعة الأزهر"),
)

AR = EntityWords(
    templates=(
        "[يقيم|تقيم] {PER} في {LOC} منذ سنوات",
        "[سافر|سافرت] {PER} أمس إلى {LOC} مع [أصدقائه|صديقاتها]",
        "[يعمل|تعمل] {PER} في {ORG} منذ عامين",
        "[التقى|التقت] {PER} مع {PER2} في {LOC} الصيف الماضي",
        "ستفتتح {ORG} فرعا جديدا في {LOC}",
        "[تحدث|تحدثت] {PER} في التلفزيون عن {ORG}",
        "هل زرت {LOC} من قبل؟",
        "[يدرس|تدرس] {PER} في {ORG} [ويسكن|وتسكن] في {LOC}",
        "سنسافر في الصيف القادم إلى {LOC} مع {PER}",
        "يعمل أخي مع {ORG} في {LOC}",
        "[جاء|جاءت] {PER} من {LOC} [ليعمل|لتعمل] في {ORG}",
        "أعرف {PER} جيدا، [فهو|فهي] من {LOC}",
        "عينت {ORG} {PER} [مديرا جديدا|مديرة جديدة] هذا الشهر",
        "تأخرت الرحلة القادمة من {LOC} اليوم",
        "[فاز|فازت] {PER} بجائزة {ORG}",
        "تحب أمي {LOC} كثيرا",
        "[قال|قالت] {PER} إن {LOC} جميلة في الربيع",
        "تقام المباراة بين {ORG} و {ORG2} في {LOC}",
        "[يعمل|تعمل] {PER} مع {PER2} في {ORG}",
        "الطريق من {LOC} إلى {LOC2} مزدحم دائما",
    ),
    held_out_templates=(
        "التقى أخي مع {PER} في {LOC} الصيف الماضي",
        "[يعمل|تعمل] {PER} مع {ORG} في {LOC}",
        "[قال|قالت] {PER} إن {ORG} ستفتتح فرعا جديدا",
        "أعرف {PER} من {ORG}",
        "الطريق إلى {LOC} جميلة في الربيع",
        "[سافر|سافرت] {PER} من {LOC} إلى {LOC2}",
    ),
    male_names=("عمر", "خالد", "علي", "حسن", "يوسف", "فيصل", "ياسر", "زياد"),
    female_names=("ليلى", "سارة", "نور", "ريم", "سلمى", "هدى", "لينا", "مريم"),
    family_names=("الحسيني", "حداد", "الخطيب", "العتيبي", "الشمري", "بن سالم", "القاسمي",
                  "عيسى", "النعيمي", "الأنصاري", "الزعبي", "الهاشمي", "منصور", "الحلبي",
                  "البغدادي", "الكبيسي"),
    places=("بيروت", "دمشق", "بغداد", "عمان", "الرياض", "الدوحة", "تونس", "الجزائر",
            "الرباط", "القاهرة", "دبي", "مسقط", "الخرطوم", "جدة", "وهران", "صنعاء", "لبنان",
            "الأردن", "العراق", "قطر", "اليابان", "البرازيل", "الهند", "تركيا"),
    organisations=("الأمم المتحدة", "منظمة الصحة العالمية", "جامعة الدول العربية", "أرامكو",
                   "طيران الإمارات", "قناة الجزيرة", "البنك الدولي", "الهلال", "الترجي",
                   "جامعة بغداد", "الخطوط القطرية", "الاتحاد الأفريقي", "مكتبة الإسكندرية",
                   "الصليب الأحمر", "اليونسكو", "جامعة دمشق"),
)

FA = EntityWords(
    templates=(
        "{PER} چند سال است که در {LOC} زندگی می‌کند",
        "{PER} دیروز با دوستانش به {LOC} رفت",
        "{PER} دو سال است که در {ORG} کار می‌کند",
        "{PER} و {PER2} تابستان گذشته در {LOC} همدیگر را دیدند",
        "{ORG} یک شعبهٔ تازه در {LOC} باز می‌کند",
        "{PER} در تلویزیون دربارهٔ {ORG} حرف زد",
        "تا حالا به {LOC} رفته‌ای؟",
        "{PER} در {ORG} درس می‌خواند و در {LOC} زندگی می‌کند",
        "تابستان آینده با {PER} به {LOC} می‌رویم",
        "برادرم با {ORG} در {LOC} کار می‌کند",
        "{PER} از {LOC} آمده تا در {ORG} کار کند",
        "{PER} را خوب می‌شناسم، اهل {LOC} است",
        "{ORG} این ماه {PER} را استخدام کرد",
        "پروازی که از {LOC} می‌آمد امروز تأخیر داشت",
        "{PER} جایزهٔ {ORG} را برد",
        "مادرم {LOC} را خیلی دوست دارد",
        "{PER} گفت که {LOC} در بهار خیلی قشنگ است",
        "بازی {ORG} و {ORG2} در {LOC} برگزار می‌شود",
        "{PER} و {PER2} هر دو در {ORG} کار می‌کنند",
        "جادهٔ {LOC} به {LOC2} همیشه شلوغ است",
    ),
    held_out_templates=(
        "{PER} و برادرم در {LOC} همدیگر را دیدند",
        "{PER} با {ORG} در {LOC} کار می‌کند",
        "{PER} گفت که {ORG} یک شعبهٔ تازه باز می‌کند",
        "{PER} را از {ORG} می‌شناسم",
        "جادهٔ {LOC} در بهار خیلی قشنگ است",
        "{PER} از {LOC} به {LOC2} رفت",
    ),
    male_names=("علی", "رضا", "حسین", "امیر", "مهدی", "پارسا", "سعید", "کاوه"),
    female_names=("مریم", "زهرا", "نرگس", "سارا", "فاطمه", "نیلوفر", "الهام", "شیرین"),
    family_names=("احمدی", "رضایی", "محمدی", "حسینی", "کریمی", "موسوی", "جعفری", "صادقی",
                  "رستمی", "نوری", "کاظمی", "قاسمی", "تهرانی", "شریفی", "یزدانی", "مرادی"),
    places=("تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "کرمان", "یزد", "رشت", "اهواز",
            "کرمانشاه", "همدان", "قزوین", "ساری", "بندرعباس", "زاهدان", "اردبیل", "ترکیه",
            "آلمان", "کانادا", "ژاپن", "فرانسه", "ایتالیا", "هند", "ارمنستان"),
    organisations=("دانشگاه تهران", "ایران‌خودرو", "پرسپولیس", "استقلال", "بانک ملی",
                   "صداوسیما", "دیجی‌کالا", "ایران‌ایر", "دانشگاه شریف", "سپاهان",
                   "مترو تهران", "کتابخانهٔ ملی", "اسنپ", "بانک ملت", "هلال احمر",
                   "دانشگاه فردوسی"),
)

EN = EntityWords(
    templates=(
        "{PER} has lived in {LOC} for ten years",
        "yesterday {PER} went to {LOC} with some friends",
        "{PER} has worked at {ORG} for two years",
        "{PER} and {PER2} met in {LOC} last summer",
        "{ORG} is opening a new office in {LOC}",
        "I saw {PER} on television talking about {ORG}",
        "have you ever been to {LOC}?",
        "{PER} studies at {ORG} and lives in {LOC}",
        "next summer we will go to {LOC} with {PER}",
        "my brother works with {ORG} in {LOC}",
        "{PER} came from {LOC} to work at {ORG}",
        "I know {PER} well, [he|she] is from {LOC}",
        "{ORG} hired {PER} this month",
        "the flight from {LOC} was late today",
        "{PER} won a prize from {ORG}",
        "my mother loves {LOC} very much",
        "{PER} said that {LOC} is lovely in spring",
        "the match between {ORG} and {ORG2} will be played in {LOC}",
        "{PER} and {PER2} both work at {ORG}",
        "the road from {LOC} to {LOC2} is always busy",
    ),
    held_out_templates=(
        "my brother met {PER} in {LOC} last summer",
        "{PER} works at {ORG} in {LOC}",
        "{PER} said that {ORG} is opening a new office",
        "I know {PER} from {ORG}",
        "the road to {LOC} is lovely in spring",
        "{PER} went to {LOC2} from {LOC}",
    ),
    male_names=("John", "David", "Omar", "Hamed", "Karim", "Yusuf", "Lucas", "Daniel"),
    female_names=("Amina", "Leila", "Sophie", "Maria", "Emma", "Sara", "Nadia", "Hannah"),
    family_names=("Smith", "Haddad", "Rossi", "Benali", "Karimi", "Johnson", "Martin",
                  "El Amrani", "Garcia", "Nasser", "Brown", "Tanaka", "Dubois", "Okafor",
                  "Hassan", "Novak"),
    places=("London", "Paris", "Cairo", "Tehran", "Rabat", "Tokyo", "New York", "Berlin",
            "Casablanca", "Istanbul", "Madrid", "Toronto", "Lagos", "Shiraz", "Beirut",
            "Sydney", "Morocco", "Egypt", "Iran", "France", "Japan", "Brazil", "Canada",
            "Kenya"),
    organisations=("Google", "United Nations", "World Bank", "Red Cross", "Oxford University",
                   "Real Madrid", "Al Ahly", "Microsoft", "BBC", "Airbus", "UNESCO",
                   "Cairo University", "Royal Air Maroc", "Toyota", "Wikipedia",
                   "Amnesty International"),
)

WORDS: dict[str, EntityWords] = {"ary": ARY, "arz": ARZ, "ar": AR, "fa": FA, "en": EN}
