#!/usr/bin/env python3
"""Deterministic builder for supplement.jsonl (Baton hand-off classifier training data).

Run:  python3 supplement_gen.py            -> writes supplement.jsonl next to this file
      python3 supplement_gen.py --check    -> fails unless supplement.jsonl is what it builds
The output is byte-for-byte reproducible (fixed seed, no set/dict-order dependence).
Each row's labels are listed in LABELS order.

Two sources:
  * HAND: lines written individually by hand (codes|text). Codes: E explicit_request,
    B billing_dispute, S account_security, L legal, C cancellation, F frustration,
    '-' = no label. A line may carry several codes, written with or without commas
    ("E,B|..." and "EBF|..." both work).
    F marks a customer who is clearly frustrated with the company, its service, its
    process or the bot (complaints, waiting and delays, having to repeat themselves,
    sarcasm, insults, shouting, threats to leave, calm but explicit complaints);
    insulting or refusing the bot is also E. Not F: neutral questions, thanks and
    excited praise, worry or grief, annoyance at something other than the service
    (weather, sport, oneself), urgent but calm requests, neutral "again"/"still".
    The existing lines were relabelled with F where it clearly held, and a block of
    about 1,100 new lines (roughly half F, half hard negatives, across airlines, rail,
    telecoms, banking, insurance, retail/delivery, utilities, SaaS, food delivery,
    public services and gaming, as chat messages and as posts to a brand) was added.
  * Template generator: hand-written fragments combined at random, each template
    capped by a quota so that no single pattern exceeds ~2.5% of the file; generated
    lines get light noise (typos, glued words, casing, punctuation). A template gets
    F only when every line it can produce is frustrated: e_refuse (E+F), n_frust (F),
    l_threat and l_reg (L+F) and l_bill (B+L+F).
"""
import json
import os
import random
import re

SEED = 1357911
R = random.Random(SEED)

LABELS = ["explicit_request", "billing_dispute", "account_security", "legal", "cancellation",
          "frustration"]
CODE = {"E": "explicit_request", "B": "billing_dispute", "S": "account_security",
        "L": "legal", "C": "cancellation", "F": "frustration"}

# --------------------------------------------------------------------------------------
# Hand-written lines
# --------------------------------------------------------------------------------------
HAND = r"""
# ---- explicit_request ----
E|can i talk to a huamn pls
E|i want a real person not a bot
E|AGENT
E,F|agent agent agent agent
E|representative please
E|speak to someone
E|is anyone there who is a real person
E|are there any agents available rn
E,F|get me someone who actually knows what theyre doing
E,F|this bot is useless
E|i dont want to talk to a machine
E|not comfortable sharing my card details with a bot tbh
E,F|youre not helping, i want a real one
E|human
E|HUMAN PLEASE
E|humna pls
E|hooman
E|can i pseak to somneone about my internet bill
E|i need to spek to a persn
E|connect me with an agnet
E|talkto agent
E|speakwith human
E|talk2 a human plz
E|i want a reprsentative
E|represntative!!
E|operator
E|opertor please
E|supervsor now
E|i want to speak to your supervisor
E|let me talk to your manager
E|can u get someone else, this isnt working
E|get someone on the line please
E|is there a live agent i can chat with
E|livechat
E|realperson
E|can i get a realperson on here
E|hello?? anyone real there
E|are u a bot? i want a person
E|stop. i want a human
E|no more bot please transfer me to a rep
E|transfer me to a human agent
E|pls transfer to customer care person
E|i'd like to speak with an advisor about remortgaging
E|could i speak to a specialist about my travel insurance claim
E|i need an expert not a chatbot
E|put me through to an executive
E|customer service executive please
E|i want to talk to somebody at the airline not this thing
E|can somebody from your team call me back
E|can a person ring me about my broadband please
E|i would prefer to speak with a human, thank you
E|Would it be possible to chat with an actual person please?
E|excuse me, is there a human i can talk to
E|sorry but i really need to talk to a real person about this
E,F|your bot keeps looping, human please
E,F|this chatbot is a joke
E,F|you are the worst bot ive ever used
E,F|stupid bot
E,F|dumb robot get me a person
E,F|ur not understanding me at all, i need someone real
E,F|you keep giving me the same answer, i want someone who can actually help
E|im not typing my account number into a bot
E|i dont trust bots with my medical info, can i talk to someone
E|not discussing my claim with a computer
E|i refuse to talk to an ai
E|are there any humans working today
E|is somone available to chat
E|any agent online?
E|anyone there?? real person??
E,F|been waiting 20 mins for an agen
E,F|still waiting for the agent to join the chat
E|when will a human respond to me
E|pls connect me to your billing team, a person not the bot
E|i need to speak to someone in the fraud team, a real person
E|get me to a human in the claims department
E|i want to speak to someone in charge
E|whos in charge there, i want to speak to them
E|escalate this to a supervisor
E|escalate to a human pls
E|i want to escalate this to a real person
E|kindly connect me to an agent
E|kindly arrange a call from your representative
E|dear sir please connect me to customer care executive
E|madam i need help from a person not automatic reply
E|bro just give me a human
E,F|cmon just let me talk to someone
E,F|omg i just want a person
E|PERSON
E|Real human please!!!
E|talk to human
E|talk to agent
E|chat with agent
E|live agent
E|live person pls
E|speak to representative
E|contcat agent
E|contact a human
E|i want to contact a representative directly
E|humanpls
E|agentplease
E|speaktoagent
E|can i speakwith someone from the store
E|i wanna talkto a real persn
E,F|im not explaining my lost parcel to a bot again, get me a rep
E,F|the bot doesnt get it. human.
E|you're a bot right? then no thanks, send me someone real
E|skip the bot
E|bypass bot please
E|how do i get past this bot to a person
E|how do i talk to an actual human here
E|is there any way to talk to a real agent
E|can i request a callback from an agent
E|i need a human to look at my claim, not an algorithm
E|operator operator operator
E|reps available?
E|any reps on right now
E|Is there an agent free
E|are u real or a bot? if bot i want an agent
E,F|you are useless, transfer me
E|transfer me. now.
E|please let me speak to a manager, ive been with you 10 years
E,F|I'd like to speak to a supervisor regarding the service I received in store
E|Could you connect me to a human agent, my issue is complicated
E|my problem is too complicated for a bot, can i talk to someone
E|this needs a human, trust me
E|dont want the automated thing, i want a real one
E,F|i hate these automated chats, person please
E|real agent pls not automated replies
E,F|i asked for a human 3 times already
E,F|why wont you let me speak to a person
E,F|why cant i just talk to someone
E,F|i keep asking for an agent and you keep ignoring me
E|can you hand me over to one of your colleagues
E|hand me over to a human
E|pass me to someone who can help
E|kindly do the needful and connect me to executive
E|pls arrange customer care person to call me
E|i want human support
E|human support please
E|need human help
E|need a humn
E|can i talk to a hunan
E|i wanna speak to a human being
E|a human being please, any human being
E|gimme an agent
E|get me an operater
E|i want to speak to an operator about my landline
E|helllo is there a person there
E|hellooo? anyone?? i need a real person
E|is this a real person or a bot? i want a real person
E|am i talking to a bot? i'd rather talk to a person
E|i prefer humans sorry
E|no offense but i want a human
E|nothing personal bot but i want to talk to a human
E|u r a bot, i want a persn
E|speak to a live person
E|live chat with a person please
E|i want live chat with an agent not the bot
E|is live chat available? i need a person
E|switch me to live chat
E|can i get someone from tech support on the chat
E|can someone from the claims team take over this chat
E|can someone actually read my message please
E|will a real person read this?? i need one
E|pls get somebody to help me
E|somebody help, a real somebody
E|i want to talk to somebody not something
E|connect me to somebody in billing
E|i need to speak to someone about my delivery, the bot isnt helping
E|is there a human in the loop here? i want one
E,F|let me speak to a human, I'm tired of pressing buttons
E|I don't want to answer questions from a robot, get me an agent
E|not dealing with a bot for this
E|i'm not comfortable giving my passport number to a chatbot
E|i dont feel safe sharing my address with a bot, can a person help
E|bots cant fix this. human pls
E,F|you're literally useless, get me your supervisor
E,F|what a useless bot, is there a manager
E,F|this is pointless. real agent.
E,F|worst chatbot ever. agent please
E|i want a human to handle my seat change
E,F|give me a real human, your answers make no sense
E,F|your answers make no sense, someone else please
E|someone else please
E|get someone else
E|can i talk to someone else
E|i'd like someone else to help me with this
E|can you get someone who speaks spanish
E|i need an agent who speaks polish
E|do you have agents who speak arabic? i need one
E|need a specialist for my business account
E|i want to talk to a mortgage advisor
E|can i chat with a financial advisor
E|is there an insurance expert i can speak with
E|i need a tech expert not scripted answers
E|put a supervisor on please
E|manager. now.
E|i demand to speak to a manager
E|i demand a human
E|get me a SUPERVISOR
E|i want ur manager
E|let me speak to ur supervisor plz
E|can i spk to sum1 real
E|talk 2 agent
E|want agent
E|need agent asap
E|agent needed
E|human required
E|requesting a live agent
E|request human
E|request to speak with representative
E|i'd like to request a representative please
E|can i be transferred to a representative
E|can i be put through to someone
E|put me through to a person
E|put me thru to sumone who can help
E|i want a callback from a human
E|have someone call me
E|have an agent ring me back on this number
E|can a rep email me instead, i dont want the bot
E|just connect me to customer service people
E|i need customer care, real customer care
E|customer care person please
E|customer service agent please
E|cs agent pls
E|csr please
E|I need a real customer service rep
E,F|I'm sick of this bot
E,F|i am sick of talking to a computer
E,F|enough with the bot
E|quit the bot thing and get me a person
E|ok bot you lost me, human please
E|thanks but no, i'd rather a human
E|thanks bot but i need a person for this one
E|that didnt help, can i speak to someone
E|none of these options fit, i want to talk to someone
E|none of the above. agent
E|other - speak to agent
E|option: speak to someone
E,F|main menu is useless, give me a person
E|hi there, could a member of staff help me please
E|can a member of your team help me
E|i want to talk to a staff member
E|are there any staff online
E|is anybody working?? i need help from a real person
E|anybody? human?
E|real person or nothing
E|i only talk to humans
E|dont want ai, want human
E|no ai please, person
E|robot no. person yes.
E|can i spaek to an agent
E|cn i tlk to an agent
E|can i talk to an agant
E|agentt
E|ageny pls
E|reprasentative
E|represenative please
E|superviser
E|humain please
E|huaman
E|hmuan agent
E|personn please
E|real persn plz
E|talk to someon
E|somebdy real?
E|livagent
E|live agnt
E|speak2someone
E|yo can i get a real one in here
E|you're a robot. i need a human for my pension question
E|hi, not to be rude but are there real people on this chat
E|Is there a representative available to assist me with my claim?
E|Good afternoon, I would like to be connected to an advisor please.
E,F|i have been chatting with this bot for 15 minutes, i need an actual employee
E|can i talk to an employee please
E|get me an actual employee
E|pls i am old and dont understand the bot, a person please
E|my english not so good, i need a person to help
E|bot not understand me, human please sir
E|hello madam can i speak to the executive regarding my sim
E|i want to talk with the shop manager about my order
E|need the duty manager
E,F|give me the complaints manager
E|can i have a word with someone senior
E|i'd like to speak with someone more senior please
E|can you escalate me to your team lead
E|team leader please
E,F|is a human going to take over or not
E|i'm waiting for a human to pick this up
E|when can i talk to a real person
E|how long until an agent is free
E|place me in the queue for an agent
E|queue me for a human please
E|add me to the callback list for an advisor
E|i pressed 0 for an operator and ended up here, i want the operator
E|i want the chat with a real human not the faq
E,F|stop sending me faq links, i need an agent
E|that link doesnt help, person please
E|bot, please step aside and let a human in
E|no more automated answers please, put a real person on
E|is there a live person in this chat or just software
E|i'll only explain this to a human
E|this is sensitive, i'd rather tell a real person
E|i dont want to discuss my bereavement with a bot, can i talk to someone
E|my husband passed away and i need to talk to a person about his account
E|can i have a human look over my application
E|i would like a human to review my case
# multi with explicit_request
E,B|i want to talk to a person about the double charge on my card
E,B|get me an agent, you charged me twice
E,B|there's a charge i didn't make and i want to speak to a human about it
E,B|bot cant fix overbilling, human please
E,B,F|supervisor please, my refund never arrived and this is the third time i ask
E,B|i need a real person, theres a fee on my bill that nobody told me about
E,S|my card was stolen get me a human now
E,S|i think my account is hacked, i need a real person immediately
E,S|phone got nicked, need to speak to someone to block everything
E,S|someone has my online banking password, put me through to an agent
E,C|get me an agent i want to cancel my contract
E,C|i want to close my account, can i talk to someone
E,C|connect me to a rep to terminate my membership
E,C|human please, i want to cancel my broadband
E,L,F|i want a supervisor or i'm calling my lawyer
E,L,F|put me through to a manager or i'm going to the ombudsman
E,B,L,F|give me a human right now, you overcharged me and my solicitor is next
# ---- hard negatives ----
-|what is your customer service phone number
-|whats the number to call you guys
-|customer care number pls
-|email address for complaints?
-|what's the address of your head office
-|what are your opening hours
-|is the helpline open on sundays
-|what time does the call centre close today
-|are you open on bank holidays
-|do you have a whatsapp number
-|how can i send money to a new person
-|i want to pay another person from my account
-|add my wife to the account
-|can i add my son as an authorised user on my credit card
-|i need someone to look at my check engine light, is that covered by my breakdown cover
-|the person at the branch said i need to bring id, which id do you accept
-|the agent yesterday told me my router would arrive today, any update
-|i spoke to a rep last week and he said the upgrade was free, is that right
-|i dont need an agent, just tell me my balance
-|no human needed i just want to know the baggage allowance
-|dont transfer me, i only want the tracking number
-|please don't connect me to anyone, i can sort it myself
-|no need for a person, you're doing fine
-|thanks you've been really helpful
F|ugh my parcel is late again
F|this is so frustrating, my wifi keeps dropping every evening
-|how do i set up voicemail
-|what's the phone number for lost luggage
-|what number do i call from abroad
-|is there a freephone number
-|can i email you a photo of the damage
-|where do i post my meter reading form
-|whats the postal address to send returns to
-|opening times for the store on the high street
-|when is customer service open
-|are your phone lines open 24/7
-|do you have a uk number i can call
-|my husband is the account holder, can he call you instead
-|my mum needs help setting up online banking, can i do it for her
-|can someone else pick up my parcel from the depot
-|i want to send money to someone else's account
-|how do i pay someone who doesnt bank with you
-|how do i add a named driver to my policy
-|can i transfer my flight to another person
-|my daughter wants to join my family plan
-|add a new user to our team account
-|how do i invite someone to my workspace
-|remove a former employee from our admin console
-|the engineer who came round said my boiler needs a new part, is that covered
-|the driver said he left it with a neighbour but which one
F|the courier guy was really rude honestly
-|the lady at the check in desk said my bag was overweight, whats the limit
-|the manager at the shop said i could return it within 60 days
F|your colleague on the phone said you'd email me the form, still waiting
-|my supervisor needs a copy of the invoice for expenses
-|how do i send an invoice to my manager
-|i'm a sales rep and need a vat receipt for my flight
-|im a travel agent, how do i make a group booking
-|our operator licence number needs updating on the account
-|i work as a customer service agent myself so i get it lol, anyway how do i change my address
-|i'm not asking for a human, i just want the link to the app
-|no i dont want to speak to anyone
-|nope no agent needed
-|no thanks i dont need a representative
-|don't put me through to anyone please, just answer
-|i dont want to be transferred i'm happy with the bot
-|you don't need to get a person, i just need the opening hours
-|not looking for a rep, where's the nearest branch
-|i dont need to talk to somebody, just reset my router remotely
-|human not needed lol, whats my data left
F|last time the agent hung up on me, anyway what's my balance
-|the rep i talked to was lovely
-|an agent already sorted it yesterday thanks
-|a person from your team called me earlier and i missed it, what was it about
F|the guy at the branch was unhelpful honestly, anyway how do i order a new chequebook
-|my sim card isnt working after i moved it to my new phone
-|how do i activate my new sim
-|how long does delivery take to ireland
-|do you deliver on sundays
-|can i change my delivery address
-|where is my parcel
-|my parcel says delivered but its not here
-|can i get a window seat
-|how much baggage can i bring
-|my flight got delayed 3 hours what are my options
-|is my flight on time
-|can i bring my dog on the plane
-|how do i make a claim on my home insurance
-|what's my excess
-|does my policy cover windscreen damage
-|how do i submit a meter reading
-|my gas is off, is there an outage in my area
-|when will the power come back
-|how do i switch to paperless billing
-|how do i download my invoice
-|where can i see my usage
-|how do i export my data to csv
-|how do i reset my 2fa because i got a new phone
-|what integrations do you support
-|does the pro plan include sso
-|how do i upgrade to the business plan
-|can i downgrade my plan
-|can i pause my subscription for a month
-|how do i change my payment method
-|update my card details
-|can my direct debit date be moved to the 15th
-|i'd like to increase my overdraft
-|what's my sort code
-|how do i check my credit score
-|can i open a joint account with my partner
F|ugh the app keeps crashing
F|why is the app so slow today
-|your website wont load
F|this is taking forever
F|honestly so annoyed the delivery window keeps changing
-|i'm really stressed, my flight is tomorrow and i still dont have my boarding pass
-|im so fed up with the weather delaying everything lol
-|ok thanks
-|thank you so much!
-|great that worked
-|perfect
-|hello
-|hi
-|yes
-|no
-|maybe later
-|that's all thanks
-|bye
-|hmm let me check
-|one sec
-|sorry wrong chat
-|what can you help me with
-|are you a bot? ok cool, how do i check my balance
-|you're a bot? nice, you're actually pretty helpful
-|can you help me find a hotel near the airport
-|is there wifi on the train
-|how do i claim compensation for my delayed flight
-|what's the status of my complaint
-|how do i make a complaint
-|where can i leave feedback
-|what is your privacy policy
-|do you sell my data to third parties
-|how do i unsubscribe from marketing emails
-|stop sending me promo texts
-|i want to send money to a friend
-|how do i pay my builder by bank transfer
-|someone is coming to install my broadband tomorrow, what time
-|i need somebody to fix my leaking meter, can you book an engineer
-|can you send someone to read my meter
-|can you send an engineer to check my line
-|who should i address the letter to
-|the person who sold me this phone said it was unlocked, how do i check
-|a guy in your store told me the plan included roaming, does it
-|another passenger took my seat, what can i do
-|the person next to me on the flight spilled coffee on my laptop, does my travel insurance cover it
-|my landlord needs proof of my bills
-|my accountant needs statements for the last year
-|my employer needs a letter confirming my account
-|can my partner talk to you on my behalf next time
-|my wife spoke to one of your agents and they said the refund for the hotel was approved, when does it land
-|the agent i spoke to earlier was great, she fixed it
-|the human agent last time was quicker than this, anyway what's my policy number
-|i used to speak with a person at the branch every month, now i do it online, how do i see my statements
-|my son is the one who usually talks to customer service, i just need the bill due date
-|is it possible to change the name on a ticket to another person
-|how do i add my partner to the lease agreement
-|i want to set up a standing order to my mum
-|can i give my cleaner a key code for the parcel locker
-|where do i send documents for my mortgage application
-|what's the best number to reach the claims team
-|give me the email for your billing department
-|which address do i send the cheque to
-|is your call centre in the uk
-|are you open christmas day
-|what time do you close today
-|my local branch closed, where's the next nearest one
-|how do i close a tab in the dashboard
-|how do i revoke an old api key
-|how do i remove someone from my family plan
-|can a person under 18 open an account
-|how many people can be on one policy
-|can i book for a person with a wheelchair
-|my elderly neighbour needs help with her meter, can i call on her behalf
-|is there a person limit on the team plan
-|the technician said he would come back friday, is that still on
-|an engineer is supposed to come between 8 and 12, can i get an update
-|dont need a human, how do i top up
-|no agent thanks, just the link for returns
-|i dont want anyone to call me, email is fine
-|please dont ring me, i'm at work
-|i'm just browsing
-|what's new in the latest app update
-|the app says error 502
-|is the service down right now
-|my train was cancelled, what now
-|my delivery driver went to the wrong house
-|the parcel is damaged, how do i report it
-|my router light is flashing orange
-|how do i connect my smart meter to wifi
-|how do i change my tariff
-|how do i split my bill with my flatmate
-|my payment failed, can i try again
-|how do i pay my bill by card
-|when is my bill due
-|can i get a copy of my last invoice
-|how long do refunds usually take
-|how do i return this and get a refund, it doesnt fit
-|how do i change my pin
-|i got a new phone, how do i move my banking app over
-|how do i set up face id login
-|what should i do to keep my account safe
-|how much does it cost to send money abroad
-|is there a fee for paying by card
-|when will my replacement card come
-|my new card hasnt arrived yet, its been 5 days
-|i'd like to change my password, how
-|forgot my password
-|i forgot my pin, can you remind me how to view it in the app
-|reset my password please
-|how do i turn on two factor
-|how do i cancel my order
-|cancel order 12345
-|i want to cancel the order i placed this morning
-|can i cancel just one item from my order
-|what happens if i cancel my order after it ships
-|cancel my flight booking for next week
-|cancel tomorrow's payment to my landlord
-|can i cancel a transfer i just made
-|cancel the engineer appointment on thursday
-|cancel my seat upgrade
-|i want to cancel my hotel reservation
-|stop the payment i just set up
-|where can i read the terms and conditions
-|what does clause 4 of the terms mean
-|do your terms allow me to bring a guest to the lounge
-|do the terms let me transfer my ticket
-|what is the notice period in my contract
-|how long is my contract
-|when does my contract end
-|is there an early termination fee
-|what fees do you charge for atm withdrawals abroad
-|is there a monthly fee on the premium account
-|how much is the late payment fee
-|why do you charge for paper statements
-|what is the fee for changing my flight
-|what is the foreign transaction fee
-|what exchange rate do you use
-|how much is a replacement card
-|what's in the terms about refunds
-|what is your complaints procedure
-|whats the returns policy
# ---- billing_dispute ----
B|i was charged twice for the same order
B|double charged for my phone bill this month
B|theres a payment i did not make on my statement
B|i dont recall this transaction of 49.99
B|bogus charge from some company called zentrix on my card
B|i never authorised this direct debit
B|you took 120 instead of 80 this month
B|why did you charge me a 15 pound fee i was never told about
B|the exchange rate on my card payment in spain was way off
B,F|still havent got my refund from 3 weeks ago
B,F|ive been overbilled for 3 months straight
B|you charged me after i cancelled
B|got charged for a seat i didnt even pick
B|my electricity bill is double what it should be, the meter reading is wrong
B|charged for roaming but i never left the country
B|theres an extra 5.99 on my invoice i never agreed to
B|the atm didnt give me the cash but the money left my account
B|refund never showed up for my cancelled flight
B|you billed us for 3 licences but we only have 2 seats
B|why is my card charged 0.99 by you every week?? i never signed up
B|charged for a parcel redelivery i never asked for
B|you took my premium twice this month
B|my insurance premium went up and nobody told me, thats not what i agreed
B|theres a 30 quid admin fee on my bill, never agreed to that
B|i got billed for the full month even though i moved out on the 3rd
B|i paid my bill but it still shows unpaid and you added a late fee
B|this transaction isnt mine
B|not my transaction
B|i didnt buy this
B|what is this charge?? i didnt order anything from you
B|unknown payment on my account from yesterday
B|theres a pending payment i dont recognise
B|some random charge 89.00 to gbl*svcs never heard of it
B|i was charged the wrong price at checkout, the shelf said 4.50
B|you refunded me 20 but i paid 35
B|partial refund only, where's the rest
B|the money came out twice for my gas
B|i see two identical charges from the airline
B|my statement shows a withdrawal i didnt make
B|cash withdrawal i never did
B|i got hit with a foreign transaction fee on a payment in pounds
B|you charged me in euros and the rate was terrible, i want the difference back
B|conversion rate was wrong on my transfer, i got way less than quoted
B|my top up went through twice
B|you charged me for a subscription i cancelled in march
B|still being billed for a line i cancelled last year
B,F|overcharged on my water bill again
B|they charged me for excess baggage but my bag was under the limit
B|my bill says 78 but my plan is 45 a month
B|unexpected charge of 12 on my phone bill for premium services
B|charged a cancellation fee even though i cancelled within the cooling off period
B,F|i was promised a refund and its been 6 weeks
B|where is my refund
B|refund still not received for order 4471
B,F|returned the jacket 3 weeks ago no refund yet
B|i returned everything and got charged a restocking fee nobody mentioned
B|why is there an overdraft fee, i was never overdrawn
B|you charged interest on a balance i paid in full
B|charged twice for one takeaway order, only got 1 meal
B,F|i paid for next day delivery and it came a week later, i want that fee back
B|delivery fee was added even though i had a free delivery code
B|got charged for a premium plan i never upgraded to
B|my free trial converted and charged me without any warning
B|the hotel deposit was never released back to my card
B|dont recognise this 230 dollar payment
B|dunno what this charge is, never authorised it
B|who is pmt*ltd 0844? they took money from me
B|i'm still being billed for a phone i sent back
B|bill shock, 300 quid this month, my usual is 40, something's wrong
B|my salary payment bounced and you charged me a fee for it
B|wrong amount taken for my car insurance this month
B|you debited 2 payments for one ticket
B|double debit on my account for the same online order
B|the shop charged my card 3 times for one coffee lol
B|the estimated bill is way too high, you didnt use my reading
B|im being charged for a tv package i never ordered
B|overcharged by 40 for my flight, the price changed at payment
B|the refund went to a card i dont have anymore and i never got it
# ---- account_security ----
S|my card got swiped from my bag on the train
S|lost my wallet last night
S|phone was nicked at the pub
S|i think someone hacked my email and got into my account
S|someone knows my pin
S|got a weird login alert from another country
S|i clicked a link in a text pretending to be you and put in my details
S|my sim stopped working and now i cant get into my banking, i think its a sim swap
S|someone opened a phone contract in my name
S|my ex knows my password
S|my purse was stolen with all my cards in it
S|cant find my card anywhere, think i dropped it at the shops
S|left my card in the atm
S|my phone got stolen, can you block my number
S|some guy grabbed my phone out of my hand
S|my bag was snatched with my debit card in it
S|i think my card was cloned
S|the card reader at the petrol station looked dodgy and now im worried my card is compromised
S|someone changed my email address on my account, wasnt me
S|i got a password reset email i didnt ask for
S|i cant log in, someone changed my password
S|my account was hacked
S|acount hacked help
S|hackd
S|my instagram got hacked and i used the same password here
S|someone logged into my account from russia
S|new device signed in that isnt mine
S|i gave my otp code to someone on the phone who said they were from the bank
S|got a call from your fraud team and told them my card number, was that really you?
S|i think i got phished
S|fell for a scam email and entered my login
S|my wallet fell out of my pocket in a taxi
S|left my phone on the bus and it had my banking app on it
S|lost phone
S|stolen card
S|card stolen
S|lost my card in a bar last night, freeze it pls
S|pickpocketed in barcelona, all cards gone
S|my passport and credit card were stolen on holiday
S|someone has my login details
S|i shared my screen on a call and they saw my password
S|i got an email saying my data was in a breach, is my account safe
S|someone is using my identity
S|identity theft, someone took out a loan in my name
S|someone ported my number to another network without my permission
S|my number got moved to a new sim i didnt order
S|my frequent flyer account was emptied by someone
S|i think my work laptop was hacked and it has our admin credentials on it
S|our api key got leaked on github
S|an ex employee still has access to our admin account
S|there are logins on our workspace from an ip we dont know
S|my energy account shows an email i dont recognise
S|someone redirected my parcels to a different address
S|someone changed the delivery address on my account
S|wrote my pin on the back of my card and now i lost it
S|i think someone watched me type my pin at the atm
S|my car was broken into and my wallet was in the glovebox
S|left my bag at the airport with my cards in it
S|my mailbox was broken into and my new card was taken
S|got a text saying my parcel is held and to pay 1.99, i entered my card, was it a scam
S|my phone was stolen and it isnt locked
S|my son took my card without asking and knows the pin
S|think my netbanking is compromised
S|somebody got into my account and changed the phone number
# ---- multi security/billing ----
S,B|someone used my card to buy stuff online
S,B|my flatmate used my card without asking, there are 3 payments i didnt make
S,B|someone booked flights using my saved card, i didnt do this
S,B|card was stolen and now theres charges i never made
S,B|my account got hacked and they ordered a phone on my bill
# ---- legal ----
L,F|i will be contacting my lawyer about this
L,F|im going to sue you
L,F|see you in court
L,F|im taking this to the ombudsman
L,F|filing a complaint with the fca
L|i want all the data you hold on me under gdpr
L|subject access request please
L|please delete my personal data under article 17 gdpr
L,F|my attorney will be in touch
L,F|small claims court it is then
L|we received a subpoena for records, where should it be served
L,F|i've spoken to a solicitor and i have a case
L,F|this is a breach of consumer law, expect legal action
L,F|i'm reporting you to ofcom
L,F|complaint going to the energy ombudsman
L,F|reporting this to the financial ombudsman service
L,F|im going to the regulator with this
L,F|i'll be filing a claim in small claims
L,F|my lawyer says you are in breach of contract
L,F|do you want to hear from my lawyer? because thats next
L,F|legal action will follow if this isnt sorted
L,F|i will see you in court if i have to
L|under the data protection act i want a copy of my call recordings
L|send me a dsar form
L|i want to exercise my right to be forgotten
L|gdpr request: what personal data do you store about me
L|i'm a paralegal at a law firm, we need to serve legal papers on your company
L|our law firm represents your former customer, where do we send the letter before action
L,F|i'm considering legal proceedings
L,F|i'll report you to trading standards
L,F|reporting you to the civil aviation authority
L,F|i'm filing with the consumer financial protection bureau
L|i've already contacted a no win no fee lawyer about my claim
L|my solicitor has advised me not to pay until this is resolved
L,F|i'll be taking this to the insurance ombudsman
L|a court order for my records is attached, who handles it
L,F|ive got a lawyer friend who says this is illegal and im going to use him
# ---- multi legal ----
L,B|court summons arrived for a debt i dont owe, you billed the wrong person
B,L,F|if you dont refund the bogus charge im going to small claims
B,L,F|you double charged me and my lawyer will hear about it
B,L,F|overcharged for 6 months, reporting you to the ombudsman
S,L,F|my identity was stolen because of your data leak, im seeing a lawyer
L,C,F|cancel my contract or i'll take you to court
L,C|close my account and delete all my data under gdpr
# ---- cancellation ----
C|i want to close my account
C|cancel my subscription
C|terminate my contract
C|how do i end my gym membership
C|pls cancel my broadband service
C|i want to leave, close everything
C|close my savings account please
C|how do i cancel my streaming subscription
C|cancel my membership
C|i no longer want the premium plan, cancel it
C|stop my subscription from renewing
C,F|turn off auto renew, i'm done with this service
C|i want to terminate my mobile contract early
C|end my contract please im moving abroad
C|close my credit card account
C|deactivate my account
C|delete my account
C|how do i delete my account permanently
C|i want to cancel my car insurance policy
C|cancel my home insurance from next month
C|please stop my energy supply, i'm switching providers
C|i'm switching to another supplier, close my account
C|cancel the service at my old address
C|i'm moving out, please close the electricity account
C|we want to cancel our team plan at the end of the billing cycle
C|how do i cancel our enterprise contract
C|unsubscribe me from the monthly box
C|cancel my meal kit subscription
C|i want to cancel my delivery pass
C|cancel my frequent flyer membership
C|close my air miles account
C|cancel my landline
C|cancel my tv package
C|i want out of this contract
C|pls terminate my account
C|terminate service
C|cancel acct
C|close acount pls
C|cancell my subscripton
C|i wanna cancel my plan
C|can i cancel my contract without penalty, i want to leave
C|how do i leave your bank
C|i'm closing my business account with you
C|close the joint account, we've split up
C|i want to cancel my phone line and port my number
C|give me my pac code i'm leaving
C|cancel my roadside assistance membership
C|please cancel my policy, i sold the car
C,F|return the router and stop the service, we're done
C|dont renew my subscription next year
C|no longer need the service, cancel it
C|i'm not using it anymore, close my account
C|can you shut down my account
C|how do i cancel the pro subscription in the app
C|my mum passed away, i need to close her accounts
C|we're closing the business so please terminate all our services
# ---- multi cancellation ----
C,B|cancel my subscription, and you charged me twice last month so refund one
C,B,F|i want to close my account, you keep adding fees i never agreed to
C,B,F|cancel my contract, ive been overbilled since day one
C,S|my account was hacked, just close it
C,S|lost my phone, cancel the line on it
# ======================================================================================
# frustration (F) lines: about half positives, half hard negatives. F is frustration
# with the company, its service, its process or the bot; insulting or refusing the bot
# is also E. Negatives keep annoyance at other things (weather, sport, oneself), worry,
# grief, urgency, thanks, and neutral "again"/"still" out of F.
# ======================================================================================
# ---- frustration: airlines (chat) ----
F|my flight has been delayed four times today and nobody at the gate knows anything
F|been at the airport since 6am and still no new departure time, this is a joke
F|you cancelled my flight and rebooked me on one two days later?? are you serious
F|third delay notification in an hour. just tell us the truth
F|the crew said we'd get food vouchers and then nobody showed up with them
F|why does it take 40 minutes to get bags onto a belt
F|my bag has been "located" for 6 days and it still isnt here
BF|day 9 waiting on the refund for a flight YOU cancelled
F|I've been on hold with your reservations line for 2 hours and 10 minutes
F|seat 23C was broken the whole flight and the crew just shrugged
BF|paid for extra legroom and got put in the last row next to the toilets. i want that money back
F|the app said boarding at gate 12 and then they closed the doors at gate 40, unbelievable
F|you moved my flight time without telling me and now i miss my connection
F|how is it possible that nobody at your desks talks to each other
F|stuck on the tarmac for 3 hours with no water, no air con, no updates
F|i'm sick of your airline treating passengers like cattle
F|I would like to make a formal complaint about the way the gate staff spoke to my elderly mother
F|honestly the worst airline experience of my life and i fly every week
F|still no answer on my lost bag claim, i submitted it in march
F|the check in kiosk rejected my booking reference AGAIN
BF|you told me to check in online, the site crashed, and then you charged me 55 at the desk. refund it
F|every single flight i've booked with you this year has been late
F|how many times do i have to upload the same passport photo
F|no one at the transfer desk, no one on the phone, no one on chat. where is everyone
F|5 emails about my downgraded seat and not one reply
F|the pilot said 20 minutes. that was 2 hours ago
F|my wheelchair assistance never turned up and i was left sitting at the gate for an hour
F|your staff lost my child's car seat and acted like it was my fault
F|why do you keep sending me "how was your flight" surveys when you still have my luggage
F|the overnight hotel you put us in was filthy and 40 minutes from the airport
EF|this bot keeps telling me my flight is on time. IT LEFT WITHOUT ME. get me a person
F|cancelled again. second weekend in a row
F|delayed, then a gate change, then delayed again, then cancelled. fantastic day
F|absolutely fuming, you gave my seat away even though i'd checked in
F|the inflight entertainment hasnt worked on any of my last 4 flights, why do you even advertise it
F|an hour at baggage reclaim and the belt hasnt even started moving
F|i booked a vegetarian meal 3 times and it has never once been on the plane
F|nobody told us the flight was cancelled until we were at the gate
# ---- frustration: airlines (social) ----
F|@AcmeAir 3 hours on the tarmac and not one update. thanks for nothing
F|@SkyLinkAir lost my bag AGAIN. 2nd time this year #neveragain
F|hey @AcmeAir any chance someone could actually answer the phone today? asking for 200 stranded passengers
F|@BlueJetUK wow another cancelled flight, love it, really making my holiday special 🙃
F|Dear @SkyLinkAir, your "priority boarding" is a queue next to the other queue. Brilliant.
F|@AcmeAir stuck in lisbon for 2 days, no hotel, no food vouchers, no answers #AcmeFail
BF|@NorthwindAir 6 weeks since you cancelled my flight and still no refund. how is this allowed
F|@BlueJetUK your app crashes every time i try to check in, every. single. time.
F|Never flying @SkyLinkAir again. 9 hour delay and the only update came from a passenger's tiktok
F|@AcmeAir the customer service desk at gate B has had a closed sign on it for an hour lol
F|shoutout to @NorthwindAir for making me miss my sister's wedding. truly incredible work 👏
F|@AcmeAir 😡😡😡 where is my bag
F|@BlueJetUK DMed you 4 days ago. crickets.
F|@SkyLinkAir why are your gate staff allowed to shout at passengers? asking after gate 9 tonight
F|@AcmeAir if delays were an olympic sport you'd take gold #AcmeAir #delayed
F|Hey @NorthwindAir, "we apologise for the inconvenience" doesnt get me home tonight
BF|@BlueJetUK charged me 60 quid for a bag that fit in the sizer. give it back
F|@SkyLinkAir the plane has been sat at the gate with no crew for 90 minutes. what is going on
F|@AcmeAir maybe stop tweeting about your new menu and sort out your refunds
F|@AcmeAir flight 212 passengers are STILL waiting for our bags from yesterday
F|loving my 14th hour in this terminal thanks to @NorthwindAir. the floor is very comfy 🙄
F|@BlueJetUK you rebooked me onto a flight that doesnt exist. how
F|@SkyLinkAir three calls, three different answers about my compensation
F|whoever runs @AcmeAir customer care should be embarrassed
EF|@NorthwindAir your chatbot is useless, it told me to "try again later" 8 times. is there a human anywhere
F|@SkyLinkAir 2 hour delay and the gate staff disappeared. nobody to ask anything #SkyLinkFail
F|@BlueJetUK seriously?? cancelled by text at 4am
F|@AcmeAir the state of your planes lately. broken tray table, broken light, broken seat
# ---- frustration: rail ----
F|train cancelled AGAIN, third morning this week
F|20 minutes late every single day and you put the fares up, incredible
F|the 7:42 got cancelled with 2 minutes notice and nobody on the platform knows anything
BF|i've claimed delay repay 4 times and haven't been paid for a single one
F|standing room only for 2 hours on a train i paid 90 quid for, disgusting
F|the toilets on the 18:05 have been out of order for a month
F|@NorthRail signal failure, again. at this point it's a feature #NorthRailFail
F|@CityLinkTrains thanks for terminating my train early and dumping us in the middle of nowhere at 11pm
F|@NorthRail the app said on time right up until the train vanished off the board
F|nobody announced the platform change and half the carriage missed the train
F|why is there never a replacement bus when you cancel the last train home
BF|the ticket machines at my station have been broken for weeks and then your guard fined me for not having a ticket. i'm not paying it
F|my season ticket costs more than my rent and the service gets worse every month
F|I'd like to complain about the conductor on the 14:10 who was incredibly rude to a disabled passenger
F|@CityLinkTrains "minor delays" my foot, we've been sat outside the station for 50 mins
F|still no reply to my complaint about the overcrowding, it's been 3 weeks
F|the wifi on your trains has never worked once. not once
F|rail replacement bus took 3 hours for a 40 minute journey. never again
F|whats the point of reserving a seat if someone is always sat in it and staff do nothing
F|@NorthRail strike or no strike, you could at least keep the website up to date
F|four carriages at rush hour. four. we're packed in like sardines
F|the heating on this train is stuck on full blast and the guard says he can't do anything, ridiculous
F|every time it rains a bit your whole network falls apart
# ---- frustration: telecom and broadband ----
F|my internet has been down for 4 days and all you do is send texts saying you're "working on it"
F|third engineer visit cancelled. i've taken 3 days off work for nothing
F|WHY DOES MY WIFI DROP EVERY NIGHT AT 8PM
F|paying for 500mb and getting 12. seriously
F|i've restarted the router 50 times like your guide says, it's not the router
F|how many more times do i have to explain the fault to a new person
F|your "unlimited" plan throttled me after 20gb, what a con
F|no signal in my own house since your "upgrade" last month
F|i've been a customer for 11 years and this is how you treat me
F|you promised a callback on monday. it's friday
F|been on hold for an hour and 45 minutes to report a fault, this is insane
F|@FibreNet down again in the whole of west end. 3rd time this month #FibreNetDown
F|@FibreNet cool so my broadband dies on the day of my job interview over video. great stuff
F|@TelcoOne your network is a joke, no 4g in the city centre
F|@TelcoOne stop texting me upgrade offers when my current phone doesnt even get signal
F|@FibreNet 12 days without internet and your status page says "no known issues" 🤡
F|the price went up mid contract AGAIN, that's the second rise this year
BF|you charged me for a month where i had no service at all, i want that money back
F|your engineer left a cable across my garden and never came back to finish
F|the router you sent is obviously secondhand and it doesnt even turn on
F|i have asked you three times to stop calling me about a fibre upgrade
F|nobody from your company has ever turned up when they said they would
F|the chat agent yesterday just disconnected on me mid conversation
F|ugh, the line is crackling again, it's been like this since november
F|your coverage map says 5g at my address. i get one bar of 3g on a good day
F|moved house 6 weeks ago and still no broadband, i'm working from a cafe
F|i'm fed up of being passed between departments
F|i've been transferred 5 times and cut off twice
EF|this bot just asked me to restart my router for the fourth time, let me talk to a human
F|the app says my fault is resolved. it is NOT resolved
F|the outage compensation you offered is 2 quid. insulting
F|keep getting told "48 hours" and it's been 2 weeks
BF|roaming didnt work the entire trip even though i paid for the add-on, refund it please
F|why is it so hard to get a straight answer from your company?
F|worst provider i've ever had, by a mile
F|my number transfer was meant to take a day, it's been a week and i have no phone
BF|you disconnected my line by mistake and now you want me to pay a reconnection fee?? no chance
F|my mum is 82 and has had no landline for 10 days. it's shameful
F|@TelcoOne "we value your loyalty" then give new customers half price. right
F|@FibreNet your support line closes at 6 and the internet dies at 7. every evening
F|been promised a new router three times. still using the broken one
F|the tv box freezes every 10 minutes and your fix is always "unplug it"
F|your shop told me the phone was unlocked. it isn't. and now nobody will take it back
# ---- frustration: banking ----
F|your app has been down all morning and i cant pay my rent
F|why does a simple address change take three weeks
F|i've sent the same documents four times now
F|my transfer has been "processing" for 5 days, where is my money
F|you blocked my card abroad even though i told you i was travelling
F|locked out of online banking again, third time this month
F|the branch closed my account with no explanation and nobody will tell me why
F|i've been waiting 2 months for a decision on my mortgage, it's ridiculous
F|@QuickBank app down AGAIN on payday. every month without fail
F|@QuickBank your fraud team froze my account and then went home for the weekend. brilliant
F|@MetroFinance the new app update is awful, i cant even find my balance now
F|@QuickBank 55 minutes on hold just to be told to call a different number
F|you asked me to come into the branch to prove who i am and the branch has no appointments for a month
BF|you charged me an overdraft fee because YOUR system was down when i tried to pay in. take it off
F|stop sending me credit card offers, i've told you twice i dont want one
F|honestly the most useless bank i've ever dealt with
EF|this chatbot is a waste of my time, i need a human at the bank
F|my business account application has been "under review" since january
F|nobody from the complaints team has called me back like they promised. twice
SBF|someone emptied my account and your fraud team has taken 3 weeks to even look at it
F|why do i have to answer the same security questions three times in one call
F|i was told my card would arrive in 3 days, it's been 3 weeks and i have no way to pay for anything
F|the atm at your branch has been out of order since before christmas
F|your letters say one thing, the app says another and the staff say a third
F|i left a bank once before because of service like this and i'm close to doing it again
F|you put a hold on my salary without telling me. i had bills to pay
F|i am so tired of chasing you for a simple statement
F|how is a transfer still taking 3 working days in this day and age
F|my complaint was closed without anyone ever contacting me
F|the cheque deposit has rejected my cheque 6 times for "blurry image". it isn't blurry
F|i asked for my overdraft to be removed months ago and it's still there
F|what the hell is going on with your app today, nothing loads
F|your phone menu has 9 options and none of them are what i need
# ---- frustration: insurance ----
F|my claim has been open for 4 months and i've heard nothing
F|your assessor didnt turn up, again
F|every time i call about my claim i get a different handler who knows nothing about it
F|you raised my renewal by 40% with no claims, absolute cheek
F|i had to chase you 9 times to get a courtesy car
F|the garage you sent me to kept my car for 6 weeks and it still has the fault
F|why do i pay you every month if you reject every claim
F|I would like to raise a complaint about how my home insurance claim has been handled
F|my kitchen has been flooded since may and you're still "reviewing" the photos
F|@SafeHome_Ins claim open 11 weeks, no payout, no updates, just "sorry for the delay"
F|@SafeHome_Ins love how quick you are to take my premium and how slow you are to pay a claim
F|@CoverAll you rejected my pet claim over a typo on the vet's form. unbelievable
F|i sent the invoices twice already and you keep saying they're missing
F|the loss adjuster treated me like a criminal in my own home
F|nobody told me my policy had lapsed until the day i needed it
F|you sent the settlement cheque to my old address even though i updated it twice
F|so i'm expected to wait another 6 weeks for a decision? no
F|your claims portal logs me out every 2 minutes while i'm uploading photos
LF|if my claim isnt paid this week i'm taking it to the ombudsman
EF|i'm done talking to this bot about my claim, i want a claims handler
F|15 years a loyal customer and you treat me like a fraudster
F|your windscreen partner cancelled my appointment for the third time
F|the quote online was 300 and now you're telling me 520. what a joke
F|passed to four different departments about one simple question on my excess
F|does nobody read my emails before replying with a template
F|the replacement laptop you approved in june still hasnt been sent
# ---- frustration: retail and delivery ----
F|my parcel has said "out for delivery" for 3 days
F|the driver marked it as delivered and it's nowhere, third time this has happened
F|you sent me the wrong size again
F|stayed in all day for a delivery that never came
F|the courier threw my parcel over the fence in the rain
F|ordered a sofa in january, it's april, still no sofa
BF|returned the dress 5 weeks ago, still no refund, still no reply
F|how does a fridge get lost in transit
F|@ShopNow my order arrived smashed to pieces, the packaging was a single plastic bag 🙃
F|@ParcelPro "we tried to deliver" no you didnt, i was home all day
F|@ParcelPro my parcel has been to the depot and back 4 times. is it on holiday?
BF|@ShopNow your website charged me twice and then cancelled my order. well done
F|@ParcelPro your driver just left my laptop on the doorstep of a block of flats. in full view. seriously
F|@MegaMart stop emailing me about my basket and answer my complaint from 2 weeks ago
F|I'd like to complain about the delivery driver this morning, he was really aggressive with my son
F|the item in the photo and the item i got are not the same thing at all
F|half my click and collect order was missing and the staff just shrugged
F|my delivery slot has been moved 4 times without anyone asking me
F|no one answers the phone at your store, i've tried all week
F|you cancelled my order without telling me and i only found out when it didnt turn up
F|this is the worst online shopping experience i've ever had
F|i've uploaded the photo of the damage three times. what else do you want
F|the return label you sent doesnt work at any drop off point
F|ordered a birthday present 2 weeks ago, the birthday was yesterday. thanks
F|the "next day delivery" took 9 days
F|your tracking has said "in transit" since the 3rd. in transit where
F|you sent my parcel to a locker 20 miles away
F|a delivery "attempted" at 3am? really?
F|the replacement you sent is broken in exactly the same way
F|ugh, wrong item AGAIN
F|member for years and your customer service has gone completely downhill
F|the lady at the returns desk was rude and wouldnt even look at my receipt
BF|@MegaMart shelf said 2.50, till charged 4.00, third week running. i want the difference back
F|you lot couldnt organise a delivery if your lives depended on it
F|seriously how hard is it to put a parcel through a letterbox
F|the promised 2 hour window turned into "sometime today" and then "tomorrow"
F|the washing machine you delivered leaks and the installer just left
F|your courier left a card saying i was out. i was in. the doorbell works
F|three weeks and my "in stock" item still hasnt been dispatched
# ---- frustration: utilities ----
F|the power has gone off 5 times this week and nobody can tell me why
BF|i've sent my meter reading 3 times and you still billed me on an estimate, fix the bill
F|we've had no hot water for 9 days and the engineer keeps rescheduling
F|your smart meter has never worked since the day you installed it
F|the road outside my house has been dug up for two months and nobody is ever working on it
F|no water since 6am and your website says nothing
F|@PowerCo 3rd power cut this week on our street and your map says everything is fine 🙄
F|@AquaWater brown water coming out of the tap again, how is this acceptable
F|@PowerCo thanks for the lovely 40% price rise and the worse service
F|i have reported the leak in the street 6 times and it's still there
F|why do you need photos of my meter AND a visit AND still get it wrong
F|i'm so sick of your estimated bills
F|I wish to complain about the engineer who left mud all over my carpet and didnt fix the boiler
BF|my direct debit keeps going up and nobody can explain why, put it back to what we agreed
F|been waiting for a smart meter install for 8 months
F|you said my supply would be back by noon. it's 9pm
F|the gas has been off since tuesday. TUESDAY
F|i've been given 4 different reference numbers for one fault
F|every time i call i'm told someone will ring me back and nobody ever does
F|your engineer turned up, said he didnt have the part, and left. that was visit number three
F|half the street has had no power since last night and still no update from you
# ---- frustration: software and saas ----
F|our whole team has been locked out since this morning and your status page is green
F|the export has failed every night this week and we pay for enterprise
F|your last update broke the integration we rely on, again
F|we opened a support ticket 6 days ago and still no response, this is a p1 for us
F|why does every release break something that used to work
F|the api has been returning 500s for hours, this is costing us money
F|i've explained the bug to three different support engineers now
F|@CloudDeskHQ down for the 2nd time this week. our customers are asking if we're still in business
F|@CloudDeskHQ you moved the settings menu AGAIN. who asked for this
F|@Taskly the new ui is a disaster, 5 clicks to do what used to take 1
F|support closed our ticket as "resolved" without fixing anything
F|we were promised sso in q1. it's q3. still nothing
F|your docs are out of date and your support just links me to the docs
F|the invoice portal has been broken since the migration and nobody seems to care
BF|you billed us for 40 seats after we removed 15 and support has ignored two emails about it
F|the dashboard takes 45 seconds to load, every single time
F|honestly embarrassed i recommended you to my company
F|sync has lost our data twice this month
F|we're evaluating alternatives because of how slow your support has been
EF|your support bot keeps closing my ticket, i need an actual engineer to look at this
F|the outage email came 3 hours after the outage started, great communication
F|every time i log in there's a popup asking me to rate you. you really dont want my rating
F|the mobile app has been broken on android for a month and your roadmap is all ai features
# ---- frustration: food delivery ----
F|my food arrived an hour late and stone cold
F|the driver ate my fries. the bag is open and half of them are gone
F|third order in a row with a missing item
BF|you took the money but the restaurant cancelled, where's my refund
F|order says delivered, i never got it, and the driver wont pick up
F|@GrubGo 1h 20m for a pizza from 2 miles away. incredible
F|@GrubGo the app keeps reassigning my order to new drivers, it's been 70 mins
F|@FeastFast my curry arrived upside down in the bag. 10/10 effort guys 👏
F|the driver swore at me because i asked him to come up to the door
F|you gave me a 50p voucher for a missing main course. really?
F|every single time i order from you something is wrong
F|the tracker has said "driver is nearby" for 35 minutes
F|i got someone else's order and you want me to wait another hour for mine
BF|the restaurant was closed and you still took my order and charged me
F|fourth time this month. i'm deleting the app
F|i asked for no nuts because of an allergy and there were nuts in it. this is dangerous
F|the "priority delivery" i paid extra for was slower than the normal one
F|drivers keep leaving food at the wrong door in my building even with the instructions
BF|the refund only covered one item, not the delivery fee. the whole order was wrong, refund all of it
F|why do i need to send a photo of food that NEVER ARRIVED
F|@FeastFast absolutely shocking service tonight, order cancelled after a 90 minute wait
F|cold chips, squashed burger, missing drink. same as last week
# ---- frustration: public services ----
F|i've been waiting 14 weeks for my passport and the tracker hasnt moved
F|the council has missed our bin collection three weeks in a row
F|i've called the tax helpline every day this week and it always says "too many callers, try later"
F|i've sent my visa documents twice and you keep saying you haven't received them
F|the online form crashes on the last page every time and i have to start all over
F|my driving licence renewal has been "processing" since february
F|no one at the benefits office will give me a straight answer
F|@CityCouncil the pothole outside number 14 has been reported 6 times. it's now a pond
F|@CityCouncil thanks for finally fixing the streetlight, only took 5 months 🙄
F|why do you need a paper form posted when everything else is online
F|my passport office appointment was cancelled by text the night before
F|the parking permit portal is a nightmare from start to finish
F|on hold with the tax office for 1 hour 50 and then got cut off
BF|you fined me for a parking ticket i already paid and the appeal has been ignored, cancel the fine
F|three months for a copy of a birth certificate is ridiculous
F|every department tells me it's another department's job
F|@CityCouncil the recycling hasnt been collected in a month and the bins are overflowing onto the pavement
F|i've filled in the same housing form three times because your system keeps losing it
F|the appointment system only shows slots 4 months away, how is anyone meant to use this
F|the tax refund letter says 6 weeks. it has been 16 weeks
F|your website says "call us", your phone line says "use the website"
# ---- frustration: gaming ----
F|servers down again on release weekend, what a surprise
F|paid for the season pass and half the content isnt even out
F|matchmaking has been broken for three days and still not a word from you
F|got banned for "cheating" when i wasnt, and support just copy pasted a reply
F|@PixelForgeGames fix your servers before you release another skin
F|@PixelForgeGames 40 minute queues for a game i paid 70 for. cool cool cool
F|@StormlightStudio the new patch deleted my save file. 200 hours gone. thanks
F|disconnected from ranked again and got the leaver penalty, 5th time this week
BF|you charged me for gems that never showed up in my account and support hasnt answered in a week
SF|my account got hacked and your support took 10 days to reply, all my items are gone
F|the game crashes on startup since the update and you've said nothing
F|funny how the store works perfectly but the actual game doesnt
F|i've submitted 4 tickets about the missing rewards. nothing
F|your anti cheat keeps flagging my mouse software. i'm not cheating, fix it
F|@StormlightStudio "we hear you" is all you ever say
F|paid for early access and couldnt log in for 2 days. great early access
F|the login queue said 3 minutes an hour ago
F|@PixelForgeGames you nerfed the one thing people liked and buffed the paywall. classic
F|lost my entire inventory in the server rollback and your reply was a 10% coupon
F|why does the launcher need a 40gb update every other day
# ---- frustration + explicit_request: insulting or refusing the bot ----
EF|are you even reading what i type, you useless bot
EF|talking to you is like talking to a wall. human please
EF|what a waste of time this chatbot is
EF|this ai has no idea what its doing, i want a person
EF|you've sent me the same link 6 times, stop and get me someone
EF|worst virtual assistant ever made
EF|omfg bot, NO. person. now.
EF|this thing is so dumb, does anyone actually work there
EF|i'm going round in circles with a robot, get me an agent
EF|you clearly cant read. human please
EF|stop saying "i understand". you dont. agent
EF|useless useless useless. real person
EF|i've typed "agent" 10 times, why is this so hard
EF|this bot is an insult to your customers
EF|ffs just give me a person
EF|bloody robot, i want a human
EF|your bot is garbage and so is this service
EF|i swear this chatbot is designed to make people give up
EF|HUMAN. HUMAN. HUMAN.
EF|this bot cant even understand yes or no. someone please
EF|why would you replace your staff with this rubbish. get me an agent
EF|this is the dumbest conversation i've ever had. i want a real human
EF|the robot keeps asking me to rephrase. no. give me a person
EF|answer the question or get me someone who can
EF|ok clearly you're useless, who can i actually talk to
EF|@AcmeAir your chat "assistant" is useless, does a real person work there at all
EF|seriously is there a human at this company or is it bots all the way down
EF|i'm losing my mind with this bot, agent please
EF|you're the reason people hate chatbots. operator
EF|stop. wasting. my. time. real person.
EF|i didnt ask for a menu, i asked for a person. are you deaf
EF|what is the point of this bot. honestly. put me through to someone
EF|this stupid assistant just ended my chat again, get me a human
# ---- frustration: repetition and persistence ----
F|this is the third time i'm writing about the same problem
F|i already told you my order number. twice.
F|again?? this happened last month too
F|how many times do i need to send you the same screenshot
F|i've explained this four times now
F|fifth email, still no answer
F|for the 3rd time: the parcel was NOT delivered
F|like i said in my last three messages, the router is not the problem
F|every month the same thing, wrong bill, phone call, promise, wrong bill
F|i literally had this exact conversation yesterday
F|i've been chasing this since january
F|we go through this every single time i call
F|i told your colleague all of this last week, do you not keep notes?
F|once again, nobody has called me back
F|same issue, different week
F|i'm repeating myself: i do NOT want the upgrade
F|how many reference numbers do i need before someone fixes it
F|i keep getting told it'll be sorted "by end of day". which day
F|not this again
F|fourth password reset this week because your site keeps locking me out
F|second time this week the app has logged me out in the middle of a payment
F|i already filled in that form. and the one before it
F|please stop asking for my postcode, i've given it 3 times
F|you asked me that already
F|i've raised this so many times i've lost count
F|back again because nothing has changed
F|i have now spent 3 evenings trying to sort this out
F|the same engineer has been out 3 times and the fault is still there
F|repeat after me: i. want. my. order.
F|it's been "escalated" four times. escalated where?
F|how many more emails before someone actually reads one
F|writing AGAIN because my last 2 messages were ignored
# ---- frustration: sarcasm ----
F|great, another cancelled flight, love it
F|oh fantastic, the app is down again, what a surprise
F|wow, only 2 hours on hold today, new record
F|brilliant, my "guaranteed" delivery is now "sometime next week"
F|love paying for a service that never works 🙃
F|thanks so much for losing my bag, really made my trip
BF|amazing how you can charge me instantly but need 3 weeks to give my refund back
F|cool cool, so the engineer just isnt coming then
F|oh good, another price rise, exactly what i needed
F|stellar customer service as always 👍
F|nice to see the wifi is down on the one day i actually need it
F|so glad i pay extra for "premium" support that replies in 5 days
F|10/10 would get stuck on a train for 3 hours again
F|what a surprise, nobody has called back
F|awesome, the update wiped all my settings
F|cant wait to spend my whole saturday on hold with you again
F|really loving the new "improved" app that doesnt open
F|oh wonderful, the parcel went back to the depot. again.
F|congrats on being late every single morning, that takes real commitment
F|wow you really outdid yourselves with this delay
F|great job guys, another outage during working hours
F|so thoughtful of you to close the branch and the phone line on the same day
F|lol love that your "24/7 support" is closed
F|perfect timing for the power cut, right in the middle of cooking dinner
F|truly impressed by how little anyone knows about my claim
F|yeah sure, "it'll be there tomorrow", heard that 4 times now
F|incredible work @ParcelPro, my parcel has now visited 3 countries
F|best part of my week is explaining my fault to a brand new person every time
F|thanks for the 2p compensation, i'll treasure it forever
F|oh look, the train is cancelled. shocking. truly shocking
F|"your call is important to us" sure it is, that's why i've been listening to this music for an hour
F|i see the "fast track" queue is the slow one again, very clever
# ---- frustration: threats to leave (with cancellation where asked) ----
F|i'm done with you guys
F|one more outage and i'm switching providers
F|you're about to lose a customer of 20 years
F|honestly considering moving banks over this
F|fix this or i'm leaving
F|this is the last time i fly with you
F|never ordering from you again
F|i'll be telling everyone i know to avoid your company
F|my contract ends in march and i wont be renewing, not after this
CF|cancel my account, i've had enough of this rubbish service
CF|i want to close my account, you've messed up every single payment this year
CF|that's it, cancel my broadband. 3 weeks without internet is a joke
CF|terminate my contract, your signal is useless and i'm done paying for nothing
CF|cancel my membership please, i'm fed up with the gym being closed every other day
CF|close everything. i am sick of your excuses
CF|@StreamMax cancelling my subscription, the constant buffering is unbearable
F|my patience with your company has officially run out
F|i've recommended you to friends for years. never again
F|keep this up and you'll lose my whole family's business, that's 4 accounts
CF|shut my account down, worst bank i've ever used
# ---- frustration: calm but clear complaints ----
F|I would like to make a complaint about the service I received at your Leeds branch today
F|I'm writing to complain about the driver who delivered my parcel this morning, he was very rude
F|I want to raise a formal complaint about the handling of my insurance claim
F|I'm disappointed with how my booking was handled and would like it looked into
F|Please log a complaint: the engineer did not arrive in the agreed slot and nobody told me
F|I'm unhappy with the response to my previous complaint and would like it reviewed
F|Just to let you know, the staff at the airport desk were dismissive and unhelpful
F|I'd like to complain about your workers starting drilling outside my flat at 6am
F|The quality of your products has gone down noticeably and I'm not happy about it
F|I expected better after being a customer for so long
F|I have to say I'm quite let down by the service this time
F|Can I complain about the state of the train toilets somewhere?
F|I'm not satisfied with the explanation I was given about my delayed order
F|Your customer service has been poor throughout this whole process
F|I'd like to escalate my complaint, the first response didn't address any of my concerns
F|I was promised a call back yesterday and did not receive one
F|The refurbished phone you sent has scratches all over the screen, which is not acceptable
F|i'd like to complain about how dirty the hotel room you booked for us was
LF|I want to formally complain that my data access request has been ignored for two months
F|Frankly, the way my elderly father was spoken to on the phone was unacceptable
F|I'm afraid I have to complain about the delays to my pension transfer
F|Your website listed the wrong opening times and I travelled for nothing
F|Could someone look into why my complaint from last month was closed without a reply?
F|I've been let down by your service three times now and I'd like an explanation
F|the installer was polite but left my wall in a mess and didnt finish the job
F|I'm writing to express my dissatisfaction with the repair, the fault came back within a day
# ---- frustration: short, shouty, profane ----
F|WHERE IS MY ORDER
F|THIS IS RIDICULOUS
F|unbelievable service
F|absolute joke
F|disgraceful service
F|pathetic, honestly
F|so done with this
F|why is this so hard???
F|are you kidding me
F|seriously??? again???
BF|no refund, no reply, no respect
F|STILL WAITING
F|worst customer service ever
F|nobody answers. ever.
F|no one gets back to me
F|hello?? is anyone going to reply to my email from last week
F|ridiculous!!! just ridiculous
F|I AM SO ANGRY RIGHT NOW. my order got cancelled for no reason
F|this company is a shambles
F|what a shambles
F|useless company
F|you people are clowns 🤡
F|wtf is going on with my delivery
F|ffs not again
F|SORT IT OUT
F|fix your app!!!
F|shocking service from start to finish
F|i cant believe how bad this is
F|had it up to here with you lot
F|your company is a joke
F|hate this app
F|sick of waiting
F|been on hold 2 hours
F|still waiting for a reply from last tuesday
BF|day 5 and no refund
F|2 weeks, no parcel, no answers
F|unacceptable. totally unacceptable.
F|this service is shit
F|your app is crap and keeps logging me out
F|three fucking hours on hold
F|what the hell is wrong with your website
F|damn it, the payment page froze AGAIN
F|NOBODY HAS CALLED ME BACK
F|HOW IS THIS STILL NOT FIXED???
F|omg the app is broken AGAIN 😤
F|no one picks up the phone, no one replies to emails, what am i supposed to do
F|ok this is beyond a joke now
F|why do i even bother
F|cannot believe i'm still dealing with this
F|its been a week!!!
F|answer your phones!!!
F|😡😡😡 where is my parcel, 2 weeks now
F|what a rip off
F|total scam this service
F|honestly appalling
F|nothing ever works with you people
# ---- frustration: long messages ----
F|i have now called you six times about the same fault, each time someone new picks up, each time i explain from the beginning, each time i'm promised a call back within 24 hours, and not once has anyone actually called me back
BF|so just to recap: you cancelled my flight, you rebooked me on a flight two days later, i paid for a hotel myself, i sent you every receipt, and five weeks on i still have not seen a penny of the refund you promised
F|i've been a customer for nearly fifteen years and i have never felt this ignored, my complaint has been bounced between three departments and every reply is a template that doesn't even mention what i actually wrote about
F|@ParcelPro my parcel was marked delivered at 2pm, i was sat right by the front door all afternoon, there is no card, no photo, nothing on the doorstep, and your chat just tells me to wait another 48 hours. wait for what exactly
F|the engineer was supposed to come between 8 and 12, i took the day off, nobody came, nobody called, and when i rang at 1 i was told the job had been cancelled last week without anyone telling me. this is the third time now
EF|this is the fourth time today i've typed out my whole problem for this bot only to be sent back to the main menu, i am not doing it again, please just put me through to a real person who can actually read
F|Dear team, I am writing for the third time regarding the damage to my car caused during your repair. Despite my photographs and the garage report, I have received no meaningful response, and I am frankly tired of chasing this
F|my internet has dropped every evening for a month, i've done every test your website suggests, swapped cables, reset the router, moved it to another room, and all you keep telling me is that the line looks fine from your end
CF|after three months of outages, two missed engineer visits and a bill that went up anyway, i want to cancel my contract. please dont offer me a discount, i just want out
LF|I have now waited eight weeks for a final response to my complaint about the mis-sold policy. If I do not hear from you within seven days, I will be referring the matter to the financial ombudsman without further notice
F|@GrubGo ordered at 7, food "on its way" at 7:40, driver went the opposite direction for half an hour, food arrived at 9:10 cold and squashed, and the app offered me a 2 pound voucher. absolute joke of a service
F|honestly i dont know what else to do, i have emailed, called, used the chat, even sent a letter, and nobody at your company has been able to tell me why my pension transfer has been stuck since february
# ---- not frustration: long messages ----
-|hi there, we're flying out to portugal next month with two young kids and a car seat, could you tell me whether the car seat counts towards our baggage allowance and if we can take the pushchair to the gate
-|hello, i'm moving into a new flat on the 3rd of next month and would like the broadband to be working from the day i arrive if possible, the previous tenant was also with you if that helps with the line
-|good morning, my elderly mother has asked me to help her set up online banking, she's quite nervous about using it, is there a simple guide we can follow together or a branch where someone can show her
-|just wanted to say a big thank you to the crew on last night's late flight from rome, my son was poorly and they were so kind to him, found us a spare row and kept checking on him the whole way
C|my husband passed away in the spring and i'm slowly going through all of his accounts, i believe he had a mobile contract with you, could you tell me what you need from me to close it
-|the storm last night took down a fence panel and a few roof tiles, nobody is hurt thankfully, could you let me know what photos you'd need for the claim and whether i should get quotes first
-|quick question about the new season: if i bought the deluxe edition last year does my season pass carry over automatically, or do i need to redeem a new code from the store page
-|we're a small charity and looking to move our team of twelve onto the business plan, could you tell me whether there's a nonprofit discount and whether we can keep our existing workspace and files
B|hello, i noticed two payments of 34.50 for the same grocery order on tuesday, i'm sure it's just a pending authorisation but could you check for me and refund the second one if it goes through
-|my daughter is doing her first solo train journey to visit her grandparents next weekend, she's fifteen, is there anything she needs to carry with her and can i track the train from home
-|sorry for the essay, but i'd like to change my delivery address for the sofa to my mum's house because we'll be staying there while our kitchen is being done, is that possible this close to the delivery
-|hi, i've just been diagnosed with a long term condition and may need to travel with medication that needs to be kept cold, what are the rules for bringing a small cool bag on board
# ---- frustration with other labels ----
SF|my account was hacked a week ago and i still cant get back in, nobody at your company seems to care
SF|someone is logging into my account from abroad and your "security team" hasnt replied in 4 days
SF|i reported my card stolen on monday and it was still used on wednesday, how is that even possible
SF|@QuickBank my card was cloned, i reported it straight away and i'm STILL waiting for the new one 2 weeks later
SF|third time i'm telling you: that login from brazil was NOT me, lock the account
LF|you've ignored my subject access request for 2 months, i'm reporting you to the ico
LF|fine. i'll let my solicitor deal with you from now on
LF|enough is enough, this is going to the ombudsman
LF|keep ignoring me and you'll be hearing from trading standards
BLF|you've overcharged me every month since june and ignored every email, i'm taking you to small claims
BF|i've asked for this late fee to be removed 3 times, take it off my account
BF|still being charged for the phone insurance i cancelled in april. sort it out and refund me
BF|you've kept my deposit 6 weeks after i checked out and nobody will explain why, i want it back
BF|charged twice AGAIN for the same order, this is the second time this month
BF|@StreamMax you charged me after i cancelled and now your support wont answer. give me my money back
EBF|get me a human, i've been overcharged for 4 months and this bot just keeps showing me my bill
EF|i've been waiting 40 minutes for an agent to join, is anyone actually there
EF|i've said "speak to an agent" five times, put me through or i'm hanging up
CF|close my account. i've been locked out 4 times this month and i'm done
CF|cancel my broadband today please, i'm not paying for something that doesnt work
# ---- not frustration with other labels ----
E|hello, before i go ahead could i check this with an actual person please
E|is there a real person who could help with a bereavement notification
B|could you check my last bill please, i think the discount wasn't applied and i'd like it refunded
B|i was charged for a bag i didn't check in, could you look into it and refund it
S|i've just had a text about a login i didn't make, can you check my account is safe
S|my daughter lost her phone at school and it has the family account on it, can you lock it for now
C|please cancel my membership at the end of this month, thanks for everything
C|i'd like to close my joint account now that we've sorted the house sale
L|can you tell me where to send a gdpr request for my late father's data
# ---- not frustration: neutral questions and requests ----
-|what time does check in close for the 6am flight to madrid
-|can i take a power bank in my hand luggage
-|how do i add my frequent flyer number to a booking i already made
-|is there a student discount on rail season tickets
-|which platform does the 9:15 to york usually leave from
-|can i use my railcard on tickets bought in the app
-|how do i check if fibre is available at my new address
-|does my phone plan include calls to france
-|how do i set up a guest wifi network on your router
-|what's the difference between the standard and the premium current account
-|can i pay cash into my account at the post office
-|how do i order a new chequebook online
-|what documents do i need to open a business account
-|can i add a second driver just for one week
-|does my home insurance cover accidental damage to a laptop
-|can i pay my premium monthly instead of yearly
-|do you ship to norway
-|what sizes does the blue raincoat come in
-|can i change the colour on an order i placed an hour ago
-|where's my nearest parcel locker
-|can i move my delivery to saturday
-|how do i read the display on my smart meter
-|what does the standing charge on my bill mean
-|can i get a water meter fitted
-|is there an api endpoint for bulk user import
-|can we get invoices with our vat number on them
-|does the team plan come with priority support
-|do you deliver from the thai place on king street
-|can i schedule a food order for 7pm tonight
-|how do i renew my passport online
-|what documents do i need for a provisional driving licence
-|when is the bin collection on bank holiday weeks
-|how do i apply for a resident parking permit
-|how do i link my console account to the game
-|when does the next season start
-|is cross play supported on switch
-|how do i redeem a gift code in the game
-|what are the minimum specs to run the game on pc
-|how many bags can i check on a basic fare
-|can i choose my seat for free 24 hours before the flight
-|does the lounge at terminal 5 allow children
-|is there a direct train from leeds to bristol on sundays
-|how early can i collect tickets from the machine
-|can i bring my bike on the 17:30
-|what's the cheapest sim only deal you have
-|does the router support wifi 6
-|can i keep my number if i move to you from another network
-|how do i set up call forwarding on my landline
-|how long does an international transfer to canada take
-|what's the daily limit for contactless payments
-|can i freeze my credit card temporarily from the app, i just want to stop myself spending
-|how do i download statements for my tax return
-|does travel insurance cover skiing
-|how do i add my new car to my policy
-|what's the excess on the windscreen cover
-|can i return an item bought in store to the online shop
-|do you price match other supermarkets
-|can i gift wrap an order
-|what time will my parcel arrive roughly
-|can my neighbour sign for my parcel
-|is there a discount for paying my energy bill by direct debit
-|how do i submit a reading for a gas meter with 5 dials
-|do you offer a green energy tariff
-|how do i give a colleague editor access to the board
-|can we change our billing from monthly to annual
-|is there a limit on file upload size
-|where can i see our usage for this quarter
-|can i tip the driver after the order arrives
-|is there a minimum order for free delivery
-|can i order from two restaurants at once
-|how do i book a driving test
-|where do i report a broken streetlight
-|how do i register to vote at my new address
-|can i pay my council tax in 12 instalments instead of 10
-|how do i change my username in the game
-|is there a family sharing option for the game pass
-|can i transfer my save from console to pc
-|@AcmeAir hi, can i bring my guitar on board as cabin luggage?
-|@NorthRail is the 8:10 from york running today?
-|@FibreNet hi, do you cover postcodes in the ls6 area yet
-|@QuickBank does the app support apple pay now?
-|@GrubGo are you delivering in the city centre this late?
-|@ShopNow when does the summer sale start?
-|@PixelForgeGames when is the patch coming out?
-|@CityCouncil is the tip open on easter sunday?
-|@SafeHome_Ins does my policy cover a burst pipe at a holiday home?
-|@PowerCo is there planned maintenance in my area this week?
-|what's the weight limit for a suitcase in the hold
-|can i request a paper copy of my policy
-|how do i add an authorised contact to my energy account
-|what's included in the premium tier
-|how do i stop the app sending me notifications at night
-|do you have a large print version of the bill
-|i'd like to update my email address please
-|how do i change my name on my account after getting married
-|can you tell me when my contract renews
-|what's the policy on pets in the hotel
-|can i book a table for 6 on friday
-|do you have vegan options on the menu
-|what's the best way to send a large file to your support team
# ---- not frustration: thanks and praise (incl. excited caps and !!!) ----
-|THANK YOU so much!! you're a star
-|thank you thank you thank you, you saved my holiday
-|@AcmeAir huge shoutout to the crew on flight 118 tonight, they were amazing with my kids ❤️
-|WOW that was quick, thanks!!!
-|the engineer who came today was brilliant, please pass on my thanks
-|just wanted to say the driver was lovely and carried the boxes upstairs for my gran
-|best customer service i've had in years honestly
-|that's sorted it, thanks a million
-|cheers, that's exactly what i needed
-|you guys are the best 🙌
-|@ParcelPro parcel arrived a day early, nice one!
-|@GrubGo fastest delivery ever tonight, food still piping hot 🔥
-|really appreciate the quick refund, thank you
-|THANKS AGAIN!!! you're a lifesaver
-|amazing, it works now!!
-|omg YES it worked, thank you!!!
-|perfect, thanks for your help today
-|that was so easy, cheers
-|brilliant, got it
-|love the new app design, much easier to use
-|@NorthRail props to the guard on the 17:45, kept everyone calm and informed 👏
-|@FibreNet new router is flying, 900mb on the speed test!!
-|@QuickBank the new savings pots feature is brilliant, thank you
-|thank you for being so patient with me
-|you've been so helpful, i really appreciate it
-|THANK YOU!!!! the refund landed this morning
-|honestly impressed, that took 2 minutes
-|please thank sarah on the phone for me, she was fantastic
-|my parcel came early and the packaging was perfect, thanks
-|@ShopNow the dress fits perfectly, ordering another colour!
-|@PixelForgeGames the new map is incredible, well done team
-|@CityCouncil thank you for clearing the fallen tree so quickly this morning
-|@SafeHome_Ins claim paid in 4 days, genuinely didnt expect that. thanks
-|@PowerCo power back on, thanks to the crew out in the rain all night 🙏
-|the installer was tidy and explained everything, 5 stars
-|superb, thank you!!
-|cheers mate, have a good one
-|grand, thanks for that
-|LOVE IT
-|YESSS my order's here!!!
-|so happy with my new phone, thanks for sorting the upgrade
-|just a quick note to say the new plan is working great
-|that's really kind of you, thank you
-|fab, thanks!
-|ahh perfect timing, thank you!!
-|that answers my question, thanks bot
-|ok great, you've been really useful
-|wow, didnt think a chatbot could sort that, nice
-|excellent service as always
-|thanks, the seat change went through fine
-|the replacement card arrived today, thank you
-|much appreciated!
-|thanks for letting me know about the delay in advance, really helpful
-|that's fine, no rush, thank you
-|awesome, thanks for the quick reply
-|@BlueJetUK lovely crew, smooth flight, landed early. more of this please!
-|@StreamMax the new series is brilliant, binge watched it all weekend
-|@TelcoOne thanks for the extra data during the storm, really helped
-|i just wanted to say thank you to the team at the holborn branch
-|5 stars, would order again
# ---- not frustration: worried, sad or stressed, not annoyed at the service ----
S|I lost my card and I'm panicking a bit, what do I do
C|my dad passed away, how do i close his account
-|i'm really worried i'll miss my connection, the first flight is running a bit late, what happens if i do
S|i'm scared i've been scammed, i gave my card number to someone on the phone
-|my husband is in hospital, can i talk to you about his bill on his behalf
-|i'm struggling to pay my energy bill this month, what help is available
-|i just lost my job and i'm worried about making my mortgage payments
-|i'm nervous about flying for the first time, what happens at security
-|my passport got a bit wet and i'm anxious, will i still be able to fly tomorrow
-|our house flooded last night, i dont know where to even start with the claim
-|sorry if this is a silly question, i'm not great with technology
C|my dog died last week and i need to cancel his pet insurance
-|my mum has just gone into a care home, what do i need to do about her phone line
-|i'm feeling overwhelmed with all these bills, can i set up a payment plan
-|i'm a bit confused about my new tariff, can you explain it simply
-|i'm worried my son is spending too much on the game, can i set a spending limit
-|we've just had a baby and i'm exhausted lol, can i move my delivery to next week
-|i'm so sorry, i think i booked the wrong date, can i change it
-|my grandmother is very ill and i need to fly home urgently, what's the earliest flight
-|i'm a bit lost, where do i find my policy documents
-|i'm stressed about the move, can you make sure the internet is set up by the 12th
-|i'm worried i put the wrong account number in a transfer, can it be stopped
-|i'm sorry to bother you again, but where do i send the form
-|my wife passed away in march and the bills are still in her name, what do i do
-|i'm disabled and find it hard to get to the door quickly, can the driver wait a bit longer
-|i have anxiety on the phone, can i sort this all out by chat
-|my daughter is starting uni and i'm nervous about her managing money, can i set up a teen account
-|i'm scared of getting into debt, how do i turn off my overdraft
-|i got a letter about missed payments and i'm really worried, what does it mean
-|i'm heartbroken, my holiday is cancelled because i'm ill, can i claim on my travel insurance
-|i'm feeling a bit unwell so i wont be home for the delivery, can it go to a neighbour
-|my partner and i separated, how do i take my name off the joint broadband bill
-|i'm a pensioner and a bit worried about online banking scams, any tips
S|i feel sick, i think i typed my banking password into a fake website
S|i'm really frightened, someone knows my address and my card pin
-|i'm not sure i'm doing this right, can you walk me through the meter reading
-|i'm in tears, my flight was cancelled because of the volcano, what are my options
-|my son has autism and struggles with crowds, is there assistance at the airport
-|apologies for the long message, i'm just worried about getting this right before the deadline
C|my father died and i'd like to close his energy account, what do you need from me
-|we're moving because of a family emergency, can the contract move with us
-|i'm feeling really low and just need to pause my gym membership for a while
-|sorry, i'm flustered, which form is the one for the house move
-|i'm a carer for my mum, can i manage her account for her
E|i'm not annoyed with you, but could i speak to a person about my late husband's pension, it's a lot
E|could i speak to someone about my mum's account please, she passed away last week
-|i'm panicking a little, the boarding pass won't download and i'm at the airport, what should i do
-|i'm sad to be leaving the area, can i keep my number when i move abroad
-|i'm terrified of needles, is there another way to do the medical for the insurance
-|i was in a car accident this morning, nobody's hurt but i'm shaken, how do i report it
-|i'm confused by the letter about the price change, does it affect me
-|i'm worried the storm damaged my roof, does my policy cover a roofer coming out
-|i'm anxious about the test on monday, can i check my booking details
-|my elderly dad keeps getting scam calls, can you put a block on his line
-|i'm overwhelmed, i've got three bills due the same week, can i move one
-|i'm 8 months pregnant and cant lift the parcel, can the driver bring it inside
S|i'm in a panic, my phone got taken on the bus and it has my banking app on it
-|it's been an awful week for our family, can i delay this payment by a few days
B|my card got charged twice at the shop, i'm sure it's just a glitch, can you refund one of them please
B|i think i was charged for the wrong size, could i get the difference back? no worries if it takes a while
B|could you refund the booking fee please, my cat is sick so i cant travel this weekend
# ---- not frustration: negative words not aimed at the service ----
-|the storm was terrible, is my flight still on?
-|my cat is sick so i need to reschedule the engineer visit
-|the traffic was awful and i missed my train, can i use my ticket on the next one
-|had the worst day at work, just want a pizza, are you open till midnight
-|my kids broke the tv remote lol, can you send a new one for the box
-|so annoyed at myself, i booked the wrong date, can i change it
-|ugh i'm such an idiot, forgot my password again, how do i reset it
-|the weather is miserable, is the outdoor event still going ahead
-|my neighbour's tree fell on my car in the storm, how do i claim
-|i dropped my phone and smashed the screen, does my insurance cover it
-|i hate flying honestly, can i pre-book assistance for anxiety
-|the motorway is closed so i'll miss my delivery slot, can you hold the parcel
-|my flatmate spilled wine all over the router, is a replacement free
-|terrible hangover today lol, can i move my driving lesson
-|the snow is awful here, are trains running to edinburgh
-|my toddler threw my card in the bin and it went out with the rubbish, can i get a new one
-|i'm furious with my landlord, he wont give me the meter readings, can you tell me what they are
-|my boss is a nightmare, i need a copy of my payslip deposits for a mortgage
-|the fog is horrible this morning, is the 7am ferry running
-|worst weather ever for moving house, can the router be delivered to the new place
-|i'm so clumsy, i put the wrong postcode on my order, can you fix it
-|my dog chewed through the broadband cable 🙈 can you send a new one
-|the kids are driving me mad, is there a parental pin for the tv box
-|my ex is being awful about the divorce, how do i take him off the joint account
-|flooding on my street again, is there a sandbag service from the council
-|my car broke down on the motorway, how do i call out roadside assistance
-|the heat is unbearable, does my energy plan have a cheaper rate at night for the fan
-|i'm gutted, i have covid and cant go to the concert, can the ticket be transferred
-|my phone fell in the sea on holiday, what does my gadget cover include
-|the builders next door cut through something and now my internet is off, can you send someone
-|it's been a terrible year for us, is there a hardship fund for water bills
-|my teenager keeps losing his bus pass, how do i order a replacement
-|the burglars took my laptop and tv, what do i need to make a claim
-|my neighbour's music is awful, anyway can i change my delivery to tuesday
B|what a horrible commute today, can i get a refund on my unused day ticket
-|the power cut was caused by the storm right? just want to know whether to throw the freezer food out
-|my mum's dementia is getting worse, can her phone bill be sent to me instead
-|my uni course is stressing me out, can i pause my subscription for exams
-|sorry, my typing is terrible today, what's my balance
-|my washing machine flooded the kitchen, does home cover include the floor
-|the queue at the airport was horrendous but we made it, can i still add a bag online for the return
-|my son failed his driving test, can we rebook it
-|rough night with the baby, can you remind me what time the engineer is coming
-|the bus drivers' strike has ruined my week, can i pause my season ticket
-|i'm the worst at remembering passwords, is there a passkey option
-|i was stupid and left my card at home, can i pay with the app in store
-|it's chaos at home with the renovation, can you deliver to my work instead
-|bad news, my holiday got called off, how do i cancel the hotel booking
-|the roads are a mess with the snow, is the recycling collection still on
-|my laptop died so i'm on my phone, how do i download my invoice here
# ---- not frustration: "again" and "still" used neutrally ----
-|can i order the same pizza again
-|is the sale still on?
-|thanks again!
-|can you send the confirmation email again, i deleted it by accident
-|is the 20% code still valid
-|is my old router still under warranty
-|i'd like to book the same hotel again for next summer
-|are you still doing free delivery over 30
-|can i use my voucher again or is it one time only
-|is the 6:15 still running on weekends
-|do you still sell the blue version of the kettle
-|is my booking still confirmed after the schedule change
-|can i still add a bag to my booking
-|is the offer still available for existing customers
-|is my card still valid until the end of its expiry month
-|i'm back again, had another quick question about my seat
-|just checking my delivery is still on for tomorrow
-|could you explain the fees again, i didnt quite follow
-|can i apply again if my first application was declined
-|will i be charged again if i rebook the same flight
-|can i watch the episode again after it expires
-|can i use my railcard again after renewing it
-|hi again! one more question
-|can i still change my order
-|is the 3 for 2 still on in store
-|is my data still rolling over every month
-|hello again, how do i print the return label
-|still deciding between the two plans, what's the difference in data
-|is the lounge still free with my card
-|can i still get the loyalty discount if i renew online
-|thanks again for your help yesterday
-|could i have the reference number again please
-|is the engineer still coming between 8 and 12
-|can you read that back to me again
-|do you still deliver to the islands
-|is the branch on market street still open
-|can i book the same seats again for the return
-|is my old email still linked to the account
-|can i log in again from a new device
-|can i use the same payment card again
-|still want to upgrade, what's the next step
-|am i still eligible for the student discount after i graduate
-|can i get the same delivery driver again, he was great
-|is the restaurant still open for orders
-|can i start the game again from a previous save
-|do i need to send the documents again now that i've moved
-|is my passport still valid for 3 months after i travel
-|i'd like to sign up again for the newsletter
-|still on for collection at 3?
-|can i claim again next year
-|is the summer timetable still in effect
-|can you resend the code again
-|can my sister order the same gift again for her friend
-|still need the form? i can send it today
-|is fibre still coming to our street this year
-|ok i'll try again later, thanks
-|can i take the same route again tomorrow with my ticket
-|is the promo still running for new players
-|is the car wash voucher still usable
-|still have my receipt, can i exchange it
# ---- not frustration: repeat orders ----
-|can i reorder my last shopping basket
-|how do i repeat my usual order
-|can i set this up as a weekly order
-|same as last time please, the large veggie with extra olives
-|can i save this order as a favourite
-|i'd like to order another 3 of the same printer cartridge
-|repeat my order from friday please
-|how do i reorder contact lenses
-|can you deliver the same order every tuesday
-|i want to buy the same shoes in a bigger size
-|can i reorder from my order history in the app
-|same order as yesterday but add a drink
-|can i book the same cleaner again
-|i'd like to renew the same policy as last year
-|can i get the same tariff when my fixed deal ends
-|same flight as last month please, but on the 14th
-|how do i set up a repeat prescription delivery
-|can i reorder the wallpaper, need 2 more rolls from the same batch
-|i'd like to top up by the same amount as usual
-|can you auto-renew my parking permit for the same car
-|reorder the dog food please, same size bag
-|can i copy last week's grocery order
-|same again please!
-|could i get another box of the coffee pods i bought last month
-|how do i make my usual order a subscription
-|i'd like to buy another season pass for my son
-|order number 88213 again please
-|can i send the same gift to a different address
-|i want to book the same table for next friday
-|can i set my curry order as a monthly treat lol
# ---- not frustration: urgent but calm ----
-|i need to change my flight today if possible, my meeting moved
-|it's quite urgent, i need a letter confirming my address by tomorrow for a rental application
-|i can smell gas in my kitchen, what number should i call
-|my flight is in 3 hours and i need to add my infant, how do i do that
-|i need to send money abroad today for a hospital bill, what's the fastest way
-|urgent: my passport expires next week and i travel in 10 days, what can i do
-|can you please expedite my order, it's for a wedding on saturday
-|my boiler isnt working and i have a newborn, how soon can an engineer come
-|need my statement today for a mortgage deadline, how can i get it quickly
-|my visa appointment is tomorrow and i need a bank letter, can you email one tonight
-|i need to change the delivery address urgently, i wont be at home
-|please can you pause my direct debit before friday, there isnt enough in the account
-|our office internet is down and we have a client call in an hour, can someone check the line
-|asap please, i need to add my son to my car insurance before he drives today
-|i need the power restored today because my dad uses oxygen at home, is there a priority register
-|my train leaves in 20 minutes and my ticket wont load, can you resend it
-|time sensitive: we need to add 10 users before the audit this afternoon
-|i need to cancel tomorrow's payment to the builder today please
-|i need a replacement card before i fly out on monday, can it be sent express
-|can someone check my pipe, there's water coming through the ceiling
-|i've got an interview in 2 hours and need to print my documents, is the library printer working
-|is there any way to get my parcel today, it's medication
-|i need a refund receipt today for my expenses claim
-|my ticket is for the wrong day and the train leaves in an hour, can i swap it
-|quickly please, how do i report a downed power line
-|please help me change my seat, i need to sit next to my child
-|i need to update my phone number before the one time code goes to my old one
-|we're on the motorway and the car has a warning light, is that covered
-|need to book a food order for 12 people for 1pm today, is that possible
-|my tax return is due tonight, where do i find my utr number
-|the council tax payment is due today, can i pay by card over chat
-|i need my grades transcript for tomorrow, how do i request it
-|i need a taxi at 5am for the airport, can i book now
-|urgent question: can my mum fly with a broken arm in a cast
-|hi, we've got a leak under the sink, what's the emergency number
-|my tickets are for tonight and they're not in my app, where can i find them
-|need to move my driving test, i've broken my wrist
-|is there any chance the engineer can come earlier, i have to leave for the hospital at 2
-|need help asap, i typed the wrong amount in a transfer, can it be stopped
-|i'm at the gate and my boarding pass wont scan, what do i do
# ---- not frustration: news, sport and everyday posts unrelated to a company ----
-|what a disgraceful performance from the defence tonight, we deserved to lose
-|referee was shocking, three penalties not given #MatchDay
-|absolutely gutted for the lads, so close
-|this heatwave is unbearable, 36 degrees and not a breath of wind
-|traffic on the ring road is horrendous this morning, leave early folks
-|cant believe they sacked the manager after 4 games, madness
-|rain again all weekend, typical british summer lol
-|election night and my group chat is on fire
-|that finale was the worst ending to a series ever, 8 seasons for that??
-|worst hangover of my life, never drinking again
-|another last minute goal conceded, my heart cant take this
-|the price of petrol these days is insane
-|the marathon was brutal but i finished!! 🏃
-|why is it always me who gets the middle seat at family dinners lol
-|monday again. send coffee
-|my team is a disgrace, relegation incoming #UpTheRovers
-|the match was called off because of the waterlogged pitch, what a waste of a trip
-|awful news about the bridge collapse, thoughts with everyone affected
-|cant stand people who dont indicate on roundabouts
-|the new season of that cooking show is painful to watch
-|still no rain in 6 weeks, my garden is dying
-|the umpire had an absolute shocker today
-|this wind is ridiculous, nearly got blown off my bike
-|so annoyed i missed the concert tickets, sold out in 2 minutes
-|why do my neighbours always start drilling on sunday mornings
-|lost 4 ranked games in a row, my aim is garbage today lol
-|my teammates were useless tonight, going to bed
-|that penalty decision was a joke, VAR strikes again
-|the flooding in the north looks terrible, stay safe everyone
-|worst weather for a wedding but it was still beautiful
-|i'm so tired of this cold, when is spring coming
-|the referee needs glasses #derby
-|can't believe the final score, what a collapse in the second half
-|my printer at home is possessed honestly
-|hate mondays
-|there's a spider in my bath and i'm not ok
-|the queue for the new bakery is round the block again, worth it though
-|thunderstorm knocked a tree over in the park, crazy night
-|my fantasy team is a disaster this week
-|the kids have been up since 5, pray for me
-|what a miserable grey day
-|so frustrated with my sourdough, it never rises
-|my laptop battery is dying and i left the charger at home, great start to the week
-|i've lost my keys for the third time this month, i need a tracker
-|the seagulls stole my chips again 😂
-|absolutely livid, we lost to our rivals at home AGAIN
-|the tennis final was unwatchable, so many errors
-|local news says the road will be closed for a month, ugh
-|can't find a parking space anywhere near the stadium, nightmare
-|my plants keep dying and i dont know why
# ---- not frustration: to a brand, neutral or positive ----
-|@AcmeAir is the lounge in terminal 2 open again after the refurb?
-|@FibreNet just switched to you, speeds are great so far 👌
-|@NorthRail are dogs allowed on the sleeper train?
-|@GrubGo which restaurants near me do breakfast delivery?
-|@ShopNow do you have the trainers in a size 11?
-|@PixelForgeGames any plans for a mac version?
-|@StreamMax when is season 3 coming?
-|@BlueJetUK what's the hand luggage size for the basic fare?
-|@QuickBank just opened my account in 10 minutes, super smooth
-|@MegaMart is the big store open late over christmas?
-|@TelcoOne can i use my data in the usa on the travel plan?
-|@CloudDeskHQ is there a webinar on the new reporting features?
-|@CityCouncil where can i get a new green bin?
-|@AquaWater hi, how do i apply for the water meter?
-|@SkyLinkAir any chance of a window seat for my son's first flight? he's so excited ✈️
-|@FeastFast new menu looks amazing!
-|@StormlightStudio the soundtrack in the new update is gorgeous
-|@ParcelPro can i pick up my parcel from the depot on a saturday?
-|@PowerCo how do i sign up for the priority services register for my dad?
-|@Taskly love the dark mode, thank you!
# ---- not frustration: hard cases with other labels only ----
E|could i speak to someone please, i'd rather explain this to a person
E|hi, is there an advisor free for a quick chat about my loan options
E|no rush at all, but can a member of the team call me back this week
E|i'd like to talk to a human about changing my pension, it's a big decision
E|would it be possible to be put through to someone in the claims team, thank you
E|lovely bot but i think i need a real person for this one
B|hi, i think you've charged me twice for the same ticket, could you check and refund one please
B|i was billed for 3 months instead of 2, could you refund the extra month
B|i don't recognise a payment of 12.99 from yesterday, can you tell me what it is
B|could i get a refund for the delivery fee, the order came without the express option
B|there's a small charge on my statement i don't recognise, probably nothing but can you check
B|i returned the shoes last week, could you let me know when the refund goes through
C|i'd like to cancel my subscription please, i just don't use it enough
C|please close my savings account, i'm moving the money to pay for a house
C|i'm moving abroad next month so i'll need to close my account, thank you for everything
C|could you cancel my gym membership from the end of the month, i've loved it but i'm moving
C|we're retiring and closing the business, please end our contract
S|i think i left my card in the taxi, can you freeze it until i check
S|got a new phone and i think the old one is still logged in, it was sold on, can you log it out
S|my wallet was stolen at the station, please block my cards
L|please send me a copy of all the personal data you hold on me
L|my solicitor asked me to request my account history for the probate
L|what's the address for serving legal documents on your company
# ---- not frustration: questions about complaints, problems already fixed ----
-|how do i make a complaint on behalf of my mum
-|where can i see the outcome of my complaint
-|what's the compensation policy for delayed trains
-|is there a form for claiming flight delay compensation
-|my router was broken but the new one works perfectly, do i need to send the old one back
-|the parcel was late but it's here now, thanks for the update
-|the outage earlier is fixed on my end, all good
-|last week's problem with the app seems solved, thanks
-|the delay was only 10 minutes in the end, no worries
-|the engineer fixed the fault, can you close the ticket
-|my order was missing a fork lol no big deal, just letting you know
-|no problem at all, these things happen
-|i know you're busy, whenever you get a chance could you check my claim status
-|not a complaint, just a question, why did my bill change this month
-|no stress, what's the eta on my parcel
-|i understand the strike isnt your fault, can i get my ticket changed
-|it's fine if it comes tomorrow instead, just let me know
B|i'm not in a hurry, just wondering when my refund is likely to show
-|did the engineer manage to fix the line, just checking
-|how do i leave a review for the driver, he was great
"""


def parse_hand():
    rows = []
    for line in HAND.split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, text = line.split("|", 1)
        code = code.strip()
        # "E,B" and "EB" are the same: commas are optional between one-letter codes.
        codes = [] if code == "-" else [c for part in code.split(",") for c in part.strip()]
        for c in codes:
            if c not in CODE:
                raise ValueError(f"unknown code {c!r} in hand line: {line}")
        if len(set(codes)) != len(codes):
            raise ValueError(f"repeated code in hand line: {line}")
        rows.append((text.strip(), codes))
    return rows


# --------------------------------------------------------------------------------------
# Fragments for the template generator
# --------------------------------------------------------------------------------------
def ch(seq):
    return seq[R.randrange(len(seq))]


def maybe(s, p=0.5):
    return s if R.random() < p else ""


OPENERS = ["", "", "", "", "", "hi", "hello", "hey", "hiya", "hi there", "ok", "ok so", "umm",
           "um", "excuse me", "listen", "ugh", "yo", "good morning", "good evening", "sorry",
           "hello?", "right", "so", "hey there", "morning", "helo", "hii", "heyy", "dear team",
           "sir", "hi team", "quick one", "hey bot", "hello again", "hi, me again", "afternoon",
           "hey guys", "ok look", "honestly", "hi good day"]
TRAILERS = ["", "", "", "", "please", "pls", "plz", "thanks", "thx", "ty", "asap", "now",
            "right now", "thank you", "cheers", "please help", "urgent", "today", "if possible",
            "its urgent", "im begging", "kthx", "ta"]

CTX = {
    "banking": ["my savings account", "a transfer", "my mortgage", "my overdraft", "my debit card",
                "my credit limit", "a standing order", "my loan application", "my isa"],
    "telecom": ["my phone plan", "my broadband", "my sim", "my data allowance", "my upgrade",
                "my router", "my landline", "my fibre install"],
    "retail": ["my order", "a return", "my store credit", "a gift card", "my loyalty points",
               "a click and collect order", "a faulty kettle"],
    "airlines": ["my flight", "my booking", "my checked bag", "a seat change", "my air miles",
                 "a connecting flight", "my boarding pass"],
    "insurance": ["my claim", "my car insurance", "my home insurance", "my renewal quote",
                  "my excess", "my pet insurance", "my travel cover"],
    "utilities": ["my gas bill", "my meter reading", "my tariff", "my water supply",
                  "my smart meter", "a power cut", "my boiler cover"],
    "saas": ["our workspace", "my licence", "the admin console", "our sso setup", "a failed export",
             "our invoices", "the api limits", "user permissions"],
    "delivery": ["my parcel", "a missed delivery", "my tracking number", "a damaged package",
                 "my delivery slot", "a parcel stuck in the depot", "a redelivery"],
}
ALL_CTX = [c for k in CTX for c in CTX[k]]
ABOUT = ["about", "regarding", "re", "for", "with", "about", "about"]

TARGETS = ["a human", "a huamn", "a humna", "a hooman", "a real person", "a real human",
           "an actual person", "an actual human", "a human being", "a person", "a persn",
           "a peron", "an agent", "an agnet", "an agen", "a live agent", "a real agent", "a rep",
           "a representative", "a reprsentative", "a represntative", "a customer service rep",
           "an operator", "an opertor", "a supervisor", "a supervsor", "a manager", "your manager",
           "your supervisor", "someone", "somone", "somneone", "somebody", "someone real",
           "somebody real", "a live person", "an advisor", "a specialist", "an expert",
           "a customer care person", "a customer service executive", "an executive",
           "a member of staff", "one of your staff", "someone from your team", "a human agent",
           "a realperson", "customer care", "someone who can actually help", "someone in charge",
           "a team leader", "someone else", "a real live person", "an employee", "a humen"]
STRONG_TARGETS = [t for t in TARGETS if not t.startswith("some") and t != "customer care"]
BARE = ["agent", "human", "huamn", "humna", "hooman", "person", "persn", "representative",
        "reprsentative", "rep", "operator", "opertor", "supervisor", "supervsor", "manager",
        "live agent", "livechat", "live chat", "realperson", "real person", "human agent",
        "customer care", "advisor", "specialist", "executive", "real human", "agnet", "hmn agent",
        "human being", "live person", "someone real", "customer service rep"]
PLURAL = ["agents", "humans", "real people", "reps", "representatives", "operators", "advisors",
          "specialists", "actual people", "staff", "live agents", "supervisors", "humna agents",
          "human agents", "agnets", "people", "real humans", "customer service people",
          "team members"]
AVAIL_T = ["a human", "an agent", "a real person", "a rep", "a representative", "a supervisor",
           "a manager", "an operator", "a live agent", "someone", "somebody", "anyone real",
           "a person", "an advisor", "a specialist", "a huamn", "an agnet", "a persn", "somone",
           "anybody human", "a real agent", "an actual human"]

BOTS = ["bot", "machine", "robot", "computer", "chatbot", "ai", "automated system",
        "virtual assistant", "program", "script"]
BOTS_PL = {"bot": "bots", "machine": "machines", "robot": "robots", "computer": "computers",
           "chatbot": "chatbots", "ai": "ai", "automated system": "automated systems",
           "virtual assistant": "virtual assistants", "program": "programs", "script": "scripts"}
DETAILS = ["card details", "address", "passport number", "medical history", "bank info",
           "date of birth", "policy number", "account number", "personal details", "salary details",
           "id documents", "sort code"]

INSULTS_BOT = ["this bot is useless", "stupid bot", "this chatbot is garbage", "worst bot ever",
               "useless robot", "you're a terrible bot", "this automated thing is a waste of time",
               "the bot keeps looping", "dumb chatbot", "this bot is a joke", "bots never understand",
               "this bot is driving me mad", "pointless bot", "what a rubbish bot",
               "this robot cant do anything", "bot is broken"]
INSULTS_SOFT = ["you're useless", "ur not helping", "you dont understand me",
                "you keep repeating yourself", "these canned answers are not helping",
                "you obviously cant help", "you're not helping at all",
                "i've asked the same thing 5 times", "talking to you is pointless",
                "you're just a script", "that answer makes no sense", "you're going in circles",
                "none of your answers help", "this is going nowhere", "thats not what i asked"]
WANT_H = ["i want a real person", "get me a human", "someone real pls", "let me talk to an agent",
          "i need a real one", "transfer me", "put me through to someone", "i want a human",
          "get me a rep", "human please", "i need to speak to somebody", "give me an actual person",
          "connect me to a supervisor", "i want live chat with a person", "can i talk to someone else",
          "get someone else", "i want an operator", "real agent now", "let me speak to a manager",
          "i need a humna", "get me a persn", "pass me to an advisor", "agent pls",
          "someone from customer care please", "i'd like a representative"]

NEUTRAL_ISSUES = ["my router keeps dropping", "my parcel is stuck in the depot",
                  "my flight got moved and i need a different connection",
                  "my claim has been pending for weeks", "my meter isnt sending readings",
                  "our sso setup is broken", "i have a complicated question about my mortgage",
                  "my order arrived damaged", "the app wont let me update my address",
                  "my boarding pass wont load", "my smart meter is showing nonsense",
                  "my upgrade order is stuck", "the engineer never showed up",
                  "my direct debit setup failed", "our team cant see the new dashboard",
                  "my renewal quote looks confusing", "i need to change the name on my booking",
                  "my package went to the wrong depot", "i need help with a business loan application",
                  "i have a question about my pension transfer", "my bag didnt arrive with my flight",
                  "the fibre install got rescheduled 3 times", "my pet insurance claim got rejected",
                  "i'm moving house and need to move my broadband", "my isa transfer is stuck",
                  "the export keeps failing on our account", "i need to change my flight for a funeral",
                  "the courier keeps saying nobody was home", "my boiler cover renewal is wrong",
                  "my mortgage offer expires next week", "the power has been off since last night",
                  "the kettle i bought is faulty", "my gift card wont work at checkout"]
WANT_H2 = ["can i talk to {t}", "i need {t}", "please get me {t}", "{t} please", "can {t} help me",
           "i want to speak with {t}", "connect me to {t}", "is there {a} who can help",
           "i'd like {t} to sort it", "need {t} for this", "put me through to {t}",
           "let me chat with {t}", "transfer me to {t} pls"]

LABELED_ISSUES = [
    ("B", "you charged me twice for {bitem}"), ("B", "theres a payment on my card i didnt make"),
    ("B", "my refund never arrived"), ("B", "i was overbilled again"),
    ("B", "theres a fee on my bill i never agreed to"), ("B", "you took the wrong amount"),
    ("B", "i dont recognise a charge of {amt}"), ("B", "you keep charging me after i cancelled"),
    ("B", "the exchange rate you gave me was wrong"), ("B", "i got billed {amt} extra"),
    ("S", "my card was stolen"), ("S", "i think my account got hacked"),
    ("S", "someone knows my password"), ("S", "i lost my phone with the banking app on it"),
    ("S", "i think i got phished"), ("S", "my wallet got nicked"),
    ("S", "someone logged into my account"), ("S", "my sim got swapped without me asking"),
    ("C", "i want to cancel my contract"), ("C", "i want to close my account"),
    ("C", "i need to end my membership"), ("C", "i'm cancelling my subscription"),
    ("C", "i want to terminate my service"), ("C", "i'm leaving and want my account closed"),
    ("L", "im about to call my lawyer"), ("L", "im going to the ombudsman next"),
    ("L", "i want my data deleted under gdpr"), ("L", "i'm taking you to small claims"),
]

QS = ["whats my balance", "how much data do i have left", "where is my parcel",
      "whats the baggage allowance", "when is my next bill due", "how do i submit a meter reading",
      "how do i reset my router", "is my flight on time", "how do i add a user to our workspace",
      "whats my policy number", "can i change my delivery slot", "how do i update my address",
      "what time does my flight board", "how do i download my invoice",
      "is there an outage in my area", "how many air miles do i have", "when does my contract end",
      "how do i activate my new sim", "where do i find my tracking number", "how do i change my seat",
      "how do i renew my car insurance", "what plans do you have", "how do i set up a direct debit",
      "can i get paperless bills", "how do i turn on roaming", "whats my account number",
      "how do i export a report", "can i upgrade my phone", "does my policy cover travel abroad",
      "when will the engineer arrive", "how do i check in online", "where is my nearest branch",
      "how do i add a payee", "what is my tariff", "can i change my billing date",
      "how do i print a return label", "is my claim approved yet", "what does my home cover include",
      "how do i reset my voicemail", "can i get a bigger data plan"]

NEG_PH = ["i dont need an agent", "no human needed", "dont transfer me", "no need to get a person",
          "i dont want a rep", "please dont connect me to anyone", "no agent please",
          "i dont need to speak to anyone", "not looking for a human", "no need for a supervisor",
          "i don't need a real person for this", "dont put me through to anyone", "no need to escalate",
          "you dont need to transfer me", "dont get a human involved", "i'm fine with the bot",
          "no operator needed", "i dont need to talk to somebody", "no rep needed",
          "dont need a person", "no manager needed", "i dont want to be put on hold for an agent",
          "no need for a human", "dont pass me to anyone"]
NEG_SEP = [", ", " ", ". ", " - ", " just ", ", i just want to know ", ", quick question: ",
           " i only need to know "]

CONTACT_WHAT = ["what is", "whats", "what's", "wat is", "can you give me", "i need", "send me",
                "tell me", "could you share", "where do i find", "can i get", "i'm looking for"]
CONTACT_ITEMS = ["phone number", "number", "email address", "email", "postal address",
                 "mailing address", "fax number", "whatsapp number", "helpline number",
                 "hotline number", "complaints email", "head office address", "freephone number",
                 "international number", "contact number", "text number", "returns address",
                 "contact details", "telephone number", "support email"]
CONTACT_FOR = ["for customer service", "for your support team", "for the billing department",
               "for head office", "to call you", "for lost luggage", "for the claims team",
               "for reporting a fault", "for business customers", "for the returns department",
               "for your complaints team", "for the mortgage team", "for international callers", "",
               "for the technical support line", "for the lost property office",
               "for the broadband team", "for the emergency gas line", "for the fraud line",
               "of your nearest branch", "for the booking office"]

HOURS_T = ["what time does {d} open {w}", "what time does {d} close {w}", "when is {d} open {w}",
           "what are the opening hours for {d}", "is {d} open {w}", "{d} hours?",
           "what hours is {d} open {w}", "when can i call {d}", "opening times for {d} {w}",
           "does {d} open {w}", "till what time is {d} open {w}"]
HOURS_D = ["customer service", "the call centre", "the helpline", "your support line", "the branch",
           "the store", "the claims line", "the contact centre", "your phone line", "the service desk",
           "the airport desk", "the depot", "the collection point", "the returns counter",
           "the mortgage team", "the business support line"]
HOURS_W = ["today", "on sundays", "on saturday", "on bank holidays", "over christmas", "tomorrow",
           "this weekend", "in the evening", "on easter monday", "", "", "during the holidays"]

THIRD = ["send money to a new person", "pay another person", "add my wife to the account",
         "add my husband as a named driver", "add my daughter to my phone plan",
         "transfer the policy to another person", "add a new payee", "send a gift card to someone",
         "let someone else collect my parcel", "pay someone who banks elsewhere",
         "add a second user to our workspace", "book a flight for another person",
         "change the person named on the booking", "remove a person from my joint account",
         "pay my nephew back for dinner", "send money to my friend abroad",
         "add my partner to the electricity account", "put my son on my car insurance",
         "give my accountant read only access", "let my assistant manage our billing",
         "buy a ticket for my mum", "split a payment with another person",
         "add another person to my delivery notifications", "request money from someone",
         "transfer ownership of our workspace to my colleague", "add a carer to my account",
         "send flowers to someone in another city", "gift my air miles to another person",
         "set up a payment to my landlord", "add my flatmate to the broadband bill",
         "make someone else the main contact on the account", "share my family plan with my brother"]
THIRD_Q = ["how do i", "how can i", "can i", "i want to", "i need to", "is it possible to",
           "whats the way to", "help me", "i'd like to", "how would i"]

PAST_WHO = ["the agent i spoke to yesterday", "the rep on the phone last week", "the lady at the branch",
            "the guy in the store", "the person on the helpline", "the driver",
            "the manager at the shop", "the advisor i spoke to", "the supervisor i talked to on monday",
            "your colleague on the phone", "the human agent earlier", "the operator this morning",
            "the person at the check in desk", "the engineer", "someone on your live chat last week",
            "the customer service person", "a rep in your store", "the specialist i spoke to"]
PAST_TOLD = ["told me", "said", "promised", "mentioned", "explained", "assured me"]
PAST_FACT = ["my parcel would come today", "the upgrade was free", "i could change my seat online",
             "my meter would be replaced this week", "the new card was posted",
             "my claim was approved", "the engineer would come friday", "my bag would be delivered",
             "i could keep my old number", "the new router would fix it", "my address was updated",
             "i'd get an email confirmation", "the outage would be fixed by 6",
             "the paperwork was sent", "i could bring 2 bags", "my booking was confirmed",
             "the licence would be active today", "i qualify for the loyalty discount"]
PAST_FOLLOW = ["is that right", "can you confirm", "any update", "where is it", "can you check",
               "is that still the case", "but i cant see it", "what happens now",
               "how do i check", "has that happened yet"]

FRUST_EX = ["ugh", "seriously", "omg", "honestly", "so annoying,", "this is ridiculous,", "not again,",
            "im so fed up,", "fml", "wow", "great,", "unbelievable,", "for goodness sake", "argh",
            "this is a joke,", "typical,", "every single time,"]
FRUST = ["my parcel still hasnt turned up", "my wifi keeps dropping", "my flight got delayed again",
         "the app keeps crashing", "my boiler broke again", "the dashboard wont load",
         "the signal is terrible at home", "my delivery was left in the rain",
         "my order is missing an item", "the smart meter screen is blank",
         "my claim is taking forever", "the website logged me out again",
         "the train wifi never works", "the tracking hasnt updated in 3 days",
         "my bag came out last on the belt again", "the page keeps timing out",
         "the power went off in the middle of my work call", "the install got pushed back again",
         "my new phone still hasnt shipped", "the checkout keeps failing"]
FRUST_TAIL = ["", "", "what can i do", "any update?", "how long will it take", "can you check",
              "whats going on", "is there a fix", "what are my options", "lol", "help"]

SERVICE_Q = ["can you send", "i need", "please book", "can i get", "how do i get", "i'd like",
             "when can you send", "does my cover include"]
SERVICE_WHO = ["someone", "somebody", "an engineer", "a technician", "a person", "someone qualified"]
SERVICE_TASK = ["to look at my check engine light", "to fix my boiler", "to read my meter",
                "to check my phone line", "to install my broadband", "to repair the fence after the storm",
                "to collect the return from my house", "to pick up the old router",
                "to look at the leak under my sink", "to fit my smart meter", "to tow my car",
                "to inspect the roof damage", "to check the wiring in my flat",
                "to sign for the parcel at my office"]

FEES = ["late payment", "overdraft", "foreign transaction", "atm", "excess baggage", "seat selection",
        "paper bill", "early termination", "card replacement", "reconnection", "admin",
        "international transfer", "priority boarding", "redelivery", "setup", "express delivery",
        "name change", "account maintenance", "roaming", "currency conversion"]
FEE_ACT = ["paying by card", "sending money abroad", "changing my flight", "withdrawing cash abroad",
           "adding a user", "upgrading my plan", "a paper statement", "express shipping",
           "changing the name on the ticket", "paying my bill over the phone", "an extra bag",
           "using my card in the us", "moving my installation date", "a second sim"]
FEE_T = ["how much is the {f} fee", "is there a {f} fee", "what is your {f} fee",
         "do you charge a {f} fee", "is there a fee for {a}", "what do you charge for {a}",
         "how much do you charge for {a}", "whats the cost of {a}", "are there fees for {a}",
         "do i pay extra for {a}"]

CARD_T = ["when will my {c} arrive", "has my {c} been sent yet", "where is my {c}",
          "how long does a {c} take to arrive", "my {c} hasnt come yet, when is it due",
          "can you track my {c}", "can i get my {c} sent to a different address",
          "is my {c} on the way", "how do i activate my {c} when it comes",
          "my {c} is taking ages to arrive"]
CARDS = ["new card", "replacement card", "renewal card", "debit card", "credit card",
         "contactless card", "new sim", "travel card", "business card", "metal card"]

PW_T = ["how do i {v} my {p}", "i want to {v} my {p}", "can i {v} my {p} in the app",
        "forgot my {p}, how do i {v} it", "where do i {v} my {p}", "{v} {p} please",
        "i need to {v} my {p}, its expiring", "how often should i {v} my {p}"]
PW_V = ["change", "update", "reset", "modify", "recover"]
PW_P = ["password", "pin", "passcode", "security questions", "login email", "memorable word",
        "app password", "voicemail pin"]

ORDER_T = ["how do i cancel my order", "i want to cancel order {n}", "can i cancel the {i} i ordered {w}",
           "please cancel my booking for {d}", "cancel my hotel reservation for {d}",
           "cancel tomorrow's delivery", "cancel the transfer i scheduled for {d}",
           "can i cancel one item from order {n}", "cancel the engineer visit on {d}",
           "cancel order {n} pls", "i need to cancel the {i} from my last order",
           "can i still cancel order {n} or has it shipped", "cancel my table booking for {d}",
           "cancel the payment due on {d}", "cancel my click and collect order"]
ORDER_ITEMS = ["shoes", "phone case", "sofa", "laptop", "dress", "headphones", "kettle",
               "book", "tyres", "blender", "jacket", "charger"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "next week", "the 14th", "the 3rd", "tomorrow"]
WHEN = ["yesterday", "this morning", "last night", "an hour ago", "on sunday", "earlier", "today"]

TC_T = ["where can i find the terms and conditions", "what do the t&cs say about {x}",
        "is {x} covered in the terms", "whats the notice period in my contract",
        "do the terms allow {x}", "can you send me the terms of my policy", "whats your refund policy",
        "what's your returns policy", "where's your privacy policy", "do your terms mention {x}",
        "what are the terms for {x}", "can i read the small print on {x}",
        "what does the contract say about {x}"]
TC_X = ["price rises", "refunds", "pets in the cabin", "cancelling an order", "late payments",
        "early upgrades", "roaming", "cover abroad", "data usage", "price matching", "returns",
        "account inactivity", "travel disruption", "excess charges", "automatic renewal"]

# billing
BITEMS = ["my phone bill", "the same order", "my flight", "my gas bill", "one parcel",
          "my insurance premium", "my subscription", "one takeaway", "my hotel booking",
          "the same licence", "my broadband", "my train ticket", "a single item", "my seat upgrade",
          "my top up", "my electricity bill", "the same shoes", "one delivery", "my water bill",
          "this months plan"]
MERCH = ["some company called {x}", "a shop in {c}", "an online store i never used", "'{x}'",
         "a website i've never heard of", "a merchant abroad", "a gaming site",
         "a streaming service i never signed up for", "{x}", "a hotel in {c}", "a taxi firm in {c}",
         "a petrol station i never went to", "an app store purchase"]
MCODES = ["xtr*media", "ppl*holdings", "nvx digital", "t-serv ltd", "paym*8832", "dgtl svcs",
          "glbl pay 44", "sumup *kwik", "zenlo ltd", "mrkt*4471", "fastpay eu", "brightmart",
          "novacom", "sq *deli", "lnk*trvl"]
CITIES = ["lisbon", "manchester", "dubai", "new york", "krakow", "madrid", "dublin", "lagos",
          "mumbai", "berlin", "toronto", "bangkok", "leeds", "austin"]
UNREC = ["theres a charge i dont recognise", "i dont recognise this payment",
         "i dont recall this transaction", "found a payment i did not make", "bogus charge",
         "never authorised this payment", "i didnt make this purchase", "what is this random charge",
         "unknown transaction", "mystery payment", "there's a withdrawal i never made",
         "never seen this charge before", "this debit isnt mine", "i didnt authorise a payment",
         "dodgy looking charge", "theres a transaction on my account that wasnt me",
         "who took", "unrecognised payment", "i have no idea what this charge is"]
UNREC_TAIL = ["", "", "on my statement", "yesterday", "last night", "on my card", "this morning",
              "pls explain", "what is it", "i want it reversed", "can you look into it",
              "need this sorted", "i never bought anything there"]
WRONG_T = ["{y} charged me {a1} instead of {a2} for {i}", "my bill says {a1} but it should be {a2}",
           "i was quoted {a2} and billed {a1}", "why is {i} {a1} when my plan is {a2}",
           "{y} took {a1} for {i}, the price was {a2}", "i agreed {a2} a month, you're taking {a1}",
           "{a1} came out for {i}?? it's meant to be {a2}", "wrong amount on {i}, {a1} not {a2}",
           "the price at checkout was {a2} but my card got charged {a1}"]
FEE_KIND = ["extra", "surprise", "hidden", "random", "unexpected", "weird", "new", "", "",
            "mystery", "sneaky"]
FEE_NAMES = ["admin fee", "late fee", "service charge", "processing fee", "roaming charge",
             "paper bill fee", "redelivery fee", "card fee", "booking fee", "overdraft fee",
             "handling fee", "convenience fee", "exit fee", "reconnection fee", "inactivity fee",
             "fx fee", "baggage fee", "setup charge"]
FEE_WHY = ["why is there {a} {f} on my {d}", "whats this {f} on my {d}", "i got hit with {a} {f} on my {d}",
           "you added {a} {f} to my {d}", "there's {a} {f} on my {d}", "i just noticed {a} {f} on my {d}",
           "why did you charge me {a} {f}", "can you explain the {f} on my {d}",
           "where did this {f} on my {d} come from", "what is the {f} on my {d} for"]
FEE_DOC = ["bill", "statement", "invoice", "account", "booking", "receipt", "card", "last bill"]
FEE_TAIL = ["i was never told about it", "nobody mentioned this", "i never agreed to that",
            "that wasnt in my contract", "what for", "i want it removed", "take it off",
            "that's not right", "that was never mentioned when i signed up", "this is new"]
REFUND_T = ["where is my refund for {r}", "still no refund for {r}", "havent received my refund for {r}",
            "never got my refund for {r}", "refund for {r} still missing", "you promised a refund for {r}",
            "whats happening with my refund for {r}", "my refund for {r} hasnt arrived",
            "the refund for {r} never hit my account"]
REFUND_ITEMS = ["the cancelled flight", "my return", "order {n}", "the damaged parcel",
                "the overcharge", "the hotel deposit", "the unused licences", "my deposit",
                "the faulty router", "the missing items", "the train strike", "the broken blender",
                "the duplicate payment", "the insurance i cancelled", "the late delivery"]
REFUND_TIME = ["its been {k} weeks", "from {m}", "you said 5 days", "", "and its been ages",
               "still nothing after {k} weeks", "since {m}", "the agent promised it last week",
               "its been over a month"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
FX_T = ["the exchange rate on my {p} in {c} was {bad}", "you gave me a {bad2} rate for my {p} in {c}",
        "the conversion on my {p} in {c} was {bad}, i lost {amt}",
        "my {p} in {c} got converted at a {bad2} rate", "why was the rate on my {p} in {c} so {bad3}",
        "i got way less than the quoted rate on my {p}"]
FX_P = ["payment", "transfer", "withdrawal", "card payment", "hotel payment", "cash withdrawal",
        "international transfer"]
FX_C = ["spain", "the us", "japan", "turkey", "mexico", "poland", "thailand", "canada", "euros",
        "dollars", "france", "kenya"]
FX_BAD = ["way off", "wrong", "nothing like the one you advertised", "a rip off", "not what the app showed"]
FX_BAD2 = ["terrible", "wrong", "awful", "much worse", "dodgy"]
FX_BAD3 = ["bad", "off", "different from the app", "high"]
AFTER_T = ["i cancelled my {s} {w} but you still charged me", "i cancelled my {s} {w} and you billed me again",
           "cancelled {s} {w}, still being charged", "why am i still paying for my {s}, i cancelled it {w}",
           "you took another payment for my {s} after i cancelled {w}",
           "i closed my {s} {w} and got another bill", "still getting charged for the {s} i ended {w}"]
AFTER_S = ["subscription", "membership", "contract", "gym membership", "broadband", "phone plan",
           "streaming sub", "meal box", "insurance", "team plan", "licence", "delivery pass"]
AFTER_W = ["last month", "in march", "weeks ago", "2 months ago", "before the renewal date", "in june",
           "on the 1st", "last year", "ages ago"]
DOUBLE_T = ["i was charged twice for {i}", "i got charged twice for {i}", "double charged for {i}",
            "you billed me twice for {i}", "two payments came out for {i}",
            "the payment for {i} went through twice", "i see the same charge twice for {i}",
            "charged 2x for {i}", "duplicate charge for {i}", "you took the money for {i} twice"]
OVER_T = ["i've been overcharged on {i}", "overbilled again on {i}", "you overcharged me for {i}",
          "{i} is way higher than it should be, you've overbilled me",
          "you're overcharging me on {i} every month", "overcharged by {amt} on {i}"]

# security
LOST_OBJ = ["card", "debit card", "credit card", "wallet", "purse", "phone", "mobile",
            "bag with all my cards", "card and phone", "work laptop", "bank card", "cards",
            "iphone", "handbag with my cards in it"]
WHERE = ["", "", "at the station", "in a taxi", "on the bus", "last night", "at the airport",
         "somewhere in town", "at a festival", "at the gym", "on holiday", "at the pub", "on the tube",
         "in a club", "at the beach", "on the train home", "at work"]
S_ACTION = ["", "", "what do i do", "please block it", "can you freeze it", "need it blocked asap",
            "help", "how do i stop anyone using it", "cancel the card", "i'm panicking", "what now",
            "can you stop it being used", "lock everything please", "need a new one asap"]
LOST_PH = ["i lost", "ive lost", "i think i lost", "cant find", "misplaced", "dropped",
           "lost", "i seem to have lost", "i've misplaced", "no idea where i put"]
STOLEN_PH = ["got stolen", "was stolen", "was nicked", "got nicked", "got swiped", "was pinched",
             "was taken", "got snatched", "has been stolen", "went missing from my bag"]
HACK_BELIEF = ["i think", "pretty sure", "i reckon", "looks like", "omg", "", "", "i'm worried",
               "help"]
HACK_ACCT = ["my account", "my online banking", "my email", "my login", "my app account",
             "our admin account", "my airline account", "my energy account", "my shop account",
             "my mobile account", "my insurance portal", "our workspace", "my loyalty account"]
HACK_PH = ["got hacked", "has been hacked", "was compromised", "has been accessed by someone else",
           "is being used by someone else", "got broken into", "was taken over", "got hijacked",
           "has been hackd", "is compromised"]
HACK_TAIL = ["", "", "someone changed the email", "i can't log in now", "theres stuff i didnt do",
             "what do i do", "lock it pls", "the password doesnt work anymore",
             "i got logged out everywhere", "they changed my phone number on it"]
PIN_WHO = ["someone", "my ex", "my flatmate", "a stranger", "my ex boyfriend", "some guy at the atm",
           "a coworker", "my roommate", "my ex girlfriend", "my neighbour", "a scammer",
           "the guy who fixed my laptop"]
PIN_V = ["knows", "saw", "has", "found out", "got hold of", "guessed", "has written down"]
PIN_P = ["pin", "password", "login", "security answers", "passcode", "login details",
         "card number and cvv", "online banking password", "memorable word"]
PHISH_V = ["clicked a link in", "replied to", "answered", "followed the link in", "trusted"]
PHISH_K = ["fake", "dodgy", "scam", "weird", "phishing", "suspicious"]
PHISH_M = ["text", "email", "call", "message", "whatsapp", "voicemail"]
PHISH_F = ["that looked like it was from you", "pretending to be your bank",
           "pretending to be the delivery company", "saying my account was locked",
           "about a parcel fee", "saying i had a refund waiting", "from 'your fraud team'"]
PHISH_E = ["entered", "gave them", "typed in", "read out", "shared"]
PHISH_D = ["card details", "login", "pin", "one time code", "password", "bank details",
           "security code", "full card number"]
SIM_A = ["my phone suddenly has no service", "my sim stopped working out of nowhere",
         "i got a text saying my sim was changed", "my number stopped working today",
         "my phone says no sim and i didnt touch it"]
SIM_B = ["and now i'm getting login alerts", "and then password reset emails started",
         "and someone is getting my codes", "and my bank sent a new device alert",
         "and i cant receive my one time codes"]
SIM_C = ["", "think its a sim swap", "is someone hijacking my number", "did someone port my number",
         "sim swap fraud?"]
LOGIN_T = ["{g} a {k} from {f}", "just {g} a {k} from {f}", "why did i {g2} a {k} from {f}",
           "{g} a {k} from {f}, that wasnt me", "theres a {k} from {f} on my account"]
LOGIN_G = ["got", "received", "had"]
LOGIN_K = ["login alert", "sign in notification", "security alert", "new device alert",
           "login attempt", "verification code request"]
LOGIN_F = ["a device i dont own", "another country", "a city ive never been to",
           "an iphone i dont have", "brazil", "an unknown browser", "singapore", "a laptop that isnt mine"]
STOLEN_CHG = ["there are charges i didnt make", "someone has been spending on it",
              "theres payments i never made", "someone used it to buy stuff",
              "there are withdrawals i didnt do", "someone ran up a bill on it"]

# legal
L_COND = ["if this isnt fixed by friday", "if i dont hear back today", "one more excuse and",
          "im done,", "last warning,", "this is unacceptable,", "after 6 weeks of this,", "", "",
          "seriously,", "if nobody sorts my claim", "if my service isnt restored today", "final warning:",
          "ok thats it,", "after 3 months of broken promises"]
L_ACT = ["i'm calling my lawyer", "my solicitor will be in touch", "i will take you to court",
         "im going to sue", "see you in small claims court", "i'll report you to the ombudsman",
         "im filing a complaint with the regulator", "my attorney will contact you",
         "i will be taking legal action", "im getting a lawyer involved",
         "ill be issuing a claim in the county court", "my lawyer is drafting a letter",
         "i'm going to court over this", "legal proceedings will follow",
         "im suing your company", "youll be hearing from my attorney"]
L_GDPR = ["i want a copy of all my personal data under gdpr", "this is a subject access request",
          "delete all my personal data under gdpr",
          "under the data protection act i want to know what data you hold on me", "i'm making a dsar",
          "send me every call recording you have of me, its my right under gdpr",
          "i want to exercise my right to erasure", "tell me who you've shared my data with, gdpr request",
          "gdpr article 15 request for my data", "i'm requesting my data under data protection law",
          "i want my data deleted, gdpr", "send me my personal data within the legal 30 days",
          "formal data subject request for all records about me", "erase my data under gdpr please"]
L_GDPR_TAIL = ["", "", "thanks", "asap", "within 30 days please", "for all my accounts",
               "including my chat logs", "and confirm in writing", "for my old account too"]
L_REG_V = ["i'm reporting you", "ill be complaining", "i'm filing a complaint", "im escalating this",
           "i'm going to report this", "i'll be writing"]
L_REG = ["the ombudsman", "the financial ombudsman", "the energy ombudsman", "the fca", "ofcom",
         "ofgem", "the regulator", "trading standards", "the data protection authority", "the ico",
         "the cfpb", "the fcc", "the civil aviation authority", "the insurance regulator",
         "the telecoms ombudsman", "the consumer protection agency"]

# cancellation
C_WANT = ["i want to", "i'd like to", "please", "pls", "i need to", "can you", "i wanna", "help me",
          "id like to", "i'm trying to", "can i", "i would like to", "time to", "i've decided to"]
C_ACCT_V = ["close", "shut down", "deactivate", "cancel", "terminate", "delete", "clse", "cancell"]
C_SUB_V = ["cancel", "end", "terminate", "stop", "cancle", "cancell", "get out of"]
C_ACCT = ["account", "savings account", "current account", "credit card account", "energy account",
          "gas and electric account", "workspace account", "business account", "online account",
          "air miles account", "whole account", "joint account", "loyalty account"]
C_SUB = ["subscription", "contract", "membership", "broadband contract", "phone contract",
         "mobile plan", "gym membership", "insurance policy", "car insurance", "home insurance",
         "premium membership", "streaming subscription", "meal box subscription", "delivery pass",
         "team plan", "pro subscription", "licence subscription", "frequent flyer membership",
         "landline", "tv package", "service", "broadband", "pet insurance", "boiler cover",
         "monthly plan", "annual plan"]
C_REASON = ["", "", "", "im moving abroad", "switching providers", "too expensive", "not using it",
            "moving in with my partner", "found a better deal", "we're closing the office",
            "its not worth it anymore", "service has been terrible", "moving house", "cant afford it"]
C_LEAVE_A = ["im leaving", "im switching to another provider", "im moving abroad",
             "im done with you guys", "ive had enough", "found a cheaper deal elsewhere",
             "we're moving to a competitor", "not renewing", "we're going out of business"]
C_LEAVE_B = ["close my account", "cancel everything", "end my contract", "terminate my service",
             "cancel my subscription", "shut the account down", "cancel my membership",
             "stop the service", "close all my accounts", "cancel the contract"]
C_B = ["and refund the double charge", "and you overcharged me last month so fix that",
       "you've been billing me for stuff i never ordered", "and give me back the fee you added",
       "after you charged me twice", "and i want the extra fees back",
       "because i keep getting charged for things i didnt buy"]

# keyboard neighbours for typos
KEYB = {
    "a": "qsz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------
def amt():
    v = ch([R.randint(2, 99), R.randint(100, 950), R.randint(5, 60)])
    cents = ch(["", "", ".99", ".00", ".49", ".50", ".95", ".20", ".18"])
    cur = ch(["£", "$", "€", "", ""])
    s = f"{cur}{v}{cents}"
    if cur == "":
        suf = ch(["", " quid", " dollars", " euros", " bucks", " eur", " usd", " gbp", " pounds"])
        if cents and suf in (" quid", " bucks"):
            suf = ""
        s += suf
    return s


def amt_pair():
    a1 = amt()
    cur = re.match(r"^[£$€]?", a1).group(0)
    suf = re.search(r"[a-z ]*$", a1).group(0)
    v = R.randint(5, 400)
    cents = ch(["", ".00", ".99", ".50"])
    return a1, f"{cur}{v}{cents}" + ("" if cents and suf in (" quid", " bucks") else suf)


def num():
    return str(R.randint(10000, 9999999))


def join(*parts):
    txt = " ".join(p.strip() for p in parts if p and p.strip())
    txt = re.sub(r"\s+", " ", txt)
    txt = re.sub(r"\s+([,.!?])", r"\1", txt)
    txt = re.sub(r",\s*,", ",", txt)
    txt = re.sub(r"([,:])$", "", txt.strip())
    return txt.strip()


def op():
    o = ch(OPENERS)
    if not o:
        return ""
    return o + ch([",", "", "", " -", "!", ""]) if not o.endswith("?") else o


def about():
    return maybe(ch(ABOUT) + " " + ch(ALL_CTX), 0.45)


def fill(s):
    return (s.replace("{amt}", amt()).replace("{bitem}", ch(BITEMS)).replace("{n}", num()))


# --------------------------------------------------------------------------------------
# Templates: each returns (text, codes)
# --------------------------------------------------------------------------------------
ASK = ["can i talk to", "can i speak to", "could i speak with", "let me talk to", "let me speak to",
       "i want to talk to", "i want to speak to", "i need to speak to", "i need to talk to",
       "i wanna talk to", "id like to speak with", "id like to talk to", "may i speak to",
       "can i chat with", "i want to chat with", "can i pseak to", "can i spek to", "i need to spk to",
       "can i tlak to", "i would like to speak to", "is it possible to speak to",
       "is it possible to talk with", "any chance i can talk to", "how do i talk to",
       "how can i speak to", "can i speek to", "lemme talk to", "i must speak to"]
CONNECT = ["connect me to", "connect me with", "transfer me to", "put me through to", "pass me to",
           "hand me over to", "redirect me to", "forward me to", "escalate me to", "route me to",
           "pls transfer me to", "can you connect me to", "can u transfer me to",
           "could you put me through to", "please connect me with", "kindly connect me to",
           "transfr me to", "conect me to", "connect me w", "switch me to", "hand this over to"]
GIVE = ["get me", "give me", "i want", "i need", "just get me", "find me", "bring me", "send me",
        "i'd prefer", "i'd rather have", "gimme", "i require", "can i have", "can i get", "i demand",
        "i'd like", "need", "want"]
GIVE_WHY = ["", "", "", "this is urgent", "i've been going round in circles", "my issue is complicated",
            "its been an hour", "im losing my patience", "you're not getting it", "it's important",
            "this cant wait", "i have a weird case"]
AVAIL = ["is there {a} available", "is there {a} i can talk to", "are there any {p} available",
         "are there any {p} online", "any {p} around", "are any {p} working today",
         "is {a} free to chat", "is anyone real there", "is there anybody human here",
         "do you have any {p} available right now", "are {p} available at this time",
         "is there {a} on duty", "are there {p} on this chat", "any {p} free", "is {a} around",
         "is there {a} online right now", "do you have {p} or just this bot"]
NOBOT = ["i dont want to talk to a {b}", "i dont want to chat with a {b}",
         "not comfortable sharing my {d} with a {b}", "im not giving my {d} to a {b}",
         "i refuse to chat with a {b}", "i'd rather not talk to a {b}", "not talking to a {b} about {x}",
         "i dont trust a {b} with my {d}", "no {bp} please", "why am i talking to a {b}, i want a person",
         "i dont do {bp}", "is there a way to not talk to a {b}", "i wont type my {d} into a {b}",
         "im not discussing {x} with a {b}", "not sharing my {d} with some {b}",
         "i didnt come here to talk to a {b}"]
NOBOT_TAIL = ["", "", "", "sorry", "no offence", "thanks", "just saying", "period",
              "i want a person", "get me someone real"]
GLUED = ["speakwith{t}", "talkto{t}", "talk2{t}", "talk2 {t}", "wanna talkto {t}", "needto speakto {t}",
         "can i speakto {t}", "connectme to {t}", "getme {t}", "i wantto talkto {t}", "pls connect{t}",
         "speakto {t}", "transferto{t}", "want2talk to {t}"]
GLUED_T = ["agent", "human", "huamn", "someone", "somone", "realperson", "aperson", "rep", "anagent",
           "ahuman", "representative", "supervisor", "manager", "livechat", "somebody", "operator",
           "arealperson", "humanagent", "realagent", "liveagent"]
CALLBACK = ["can {t} call me back", "i want {t} to ring me", "have {t} phone me",
            "pls get {t} to call me", "i'd like a callback from {t}", "can {t} email me instead of this bot",
            "arrange for {t} to call me", "get {t} to contact me", "can {t} give me a ring",
            "i need {t} to phone me today", "request callback from {t}"]
WAIT = ["still waiting for {t}", "how long until {t} joins", "when will {t} be available to chat",
        "ive been in the queue for {k} mins waiting for {t}", "is {t} going to reply or not",
        "whens {t} coming", "waiting on {t} to take over", "hows the wait for {t} looking",
        "been {k} minutes, where is {t}", "you said {t} would join, where are they",
        "is {t} coming or what"]
CB_TARGETS = ["a human", "an agent", "a real person", "a rep", "a representative", "a supervisor",
              "a manager", "someone", "somebody", "an advisor", "a specialist", "a person", "an agnet",
              "a persn", "somone", "a huamn", "an operator", "your manager", "customer care",
              "someone from your team", "a live agent", "a human agent"]


def t_e_ask():
    return join(op(), ch(ASK), ch(TARGETS), about(), ch(TRAILERS)), ["E"]


def t_e_connect():
    return join(op(), ch(CONNECT), ch(TARGETS), about(), ch(TRAILERS)), ["E"]


def t_e_give():
    why = ch(GIVE_WHY)
    return join(op(), ch(GIVE), ch(STRONG_TARGETS) + ("," if why else ""), why, ch(TRAILERS)), ["E"]


def t_e_short():
    b = ch(BARE)
    if R.random() < 0.15:
        b = b + " " + b
    return join(b, ch(TRAILERS[4:] + ["", "!!", "!!!", "??", "..."])), ["E"]


def t_e_avail():
    s = ch(AVAIL).replace("{a}", ch(AVAIL_T)).replace("{p}", ch(PLURAL))
    return join(op(), s + ch(["?", "?", "??", "", " ?", "?!"]), maybe(ch(["i need help", "i need one",
                "pls", "its about " + ch(ALL_CTX), "hello?"]), 0.3)), ["E"]


def t_e_refuse():
    if R.random() < 0.35:
        s = ch(INSULTS_BOT)
        tail = maybe(ch(WANT_H), 0.5)
    else:
        s = ch(INSULTS_SOFT + INSULTS_BOT)
        tail = ch(WANT_H)
    return join(op() if R.random() < 0.3 else "", s + ch([",", ".", "", " -", "!!"]), tail), ["E", "F"]


def t_e_nobot():
    b = ch(BOTS)
    s = (ch(NOBOT).replace("{b}", b).replace("{bp}", BOTS_PL[b]).replace("{d}", ch(DETAILS))
         .replace("{x}", ch(ALL_CTX)))
    return join(op(), s, ch(NOBOT_TAIL)), ["E"]


def t_e_issue():
    w = ch(WANT_H2).replace("{t}", ch(STRONG_TARGETS)).replace("{a}", ch(AVAIL_T))
    return join(op(), ch(NEUTRAL_ISSUES) + ch([",", ".", " -", "", " so"]), w), ["E"]


def t_e_issue_multi():
    code, iss = ch(LABELED_ISSUES)
    w = ch(WANT_H + [x.replace("{t}", ch(STRONG_TARGETS)).replace("{a}", ch(AVAIL_T)) for x in WANT_H2])
    if R.random() < 0.5:
        return join(op(), fill(iss) + ch([",", ".", " -", ""]), w), ["E", code]
    return join(w + ch([",", ".", " -", ""]), fill(iss)), ["E", code]


def t_e_glued():
    return join(ch(GLUED).replace("{t}", ch(GLUED_T)), ch(TRAILERS)), ["E"]


def t_e_callback():
    return join(op(), ch(CALLBACK).replace("{t}", ch(CB_TARGETS)), about(), ch(TRAILERS)), ["E"]


def t_e_wait():
    s = ch(WAIT).replace("{t}", ch(CB_TARGETS)).replace("{k}", str(R.randint(5, 90)))
    return join(op() if R.random() < 0.3 else "", s, ch(TRAILERS)), ["E"]


# ---- negatives -----------------------------------------------------------------------
def t_n_contact():
    shape = R.randrange(5)
    item = ch(CONTACT_ITEMS)
    if shape == 0:
        s = join(ch(CONTACT_WHAT), "the", item, ch(CONTACT_FOR))
    elif shape == 1:
        s = join("can i have your", item, ch(CONTACT_FOR))
    elif shape == 2:
        s = join(item, ch(CONTACT_FOR)) + ch(["?", "??", " pls", "", " please"])
    elif shape == 3:
        s = join("do you have a", item, ch(CONTACT_FOR))
    else:
        s = join("how do i contact", ch(["customer service", "your support team", "the claims team",
                                         "the billing team", "head office", "the returns team"]),
                 "by", ch(["email", "phone", "post", "letter", "whatsapp", "text"]))
    return join(op(), s, ch(["", "", "thanks", "pls", "?"])), []


def t_n_hours():
    s = ch(HOURS_T).replace("{d}", ch(HOURS_D)).replace("{w}", ch(HOURS_W))
    return join(op(), s, ch(["", "", "?", "thanks"])), []


def t_n_third():
    return join(op(), ch(THIRD_Q), ch(THIRD), ch(["", "", "?", "pls", "thanks"])), []


def t_n_neg():
    return join(op() if R.random() < 0.3 else "", ch(NEG_PH) + ch(NEG_SEP) + ch(QS)), []


def t_n_past():
    return join(op() if R.random() < 0.3 else "", ch(PAST_WHO), ch(PAST_TOLD),
                ch(PAST_FACT) + ",", ch(PAST_FOLLOW)), []


def t_n_frust():  # no explicit request, but always frustrated
    return join(ch(FRUST_EX), ch(FRUST) + ch([",", ".", "", " -"]), ch(FRUST_TAIL)), ["F"]


def t_n_question():
    return join(op(), ch(QS), ch(["", "", "", "?", "pls", "thanks", "quick question"])), []


def t_n_service():
    return join(op(), ch(SERVICE_Q), ch(SERVICE_WHO), ch(SERVICE_TASK), ch(["", "?", "pls", "thanks"])), []


def t_nm_fee():
    s = ch(FEE_T).replace("{f}", ch(FEES)).replace("{a}", ch(FEE_ACT))
    return join(op(), s, ch(["", "", "?", "thanks"])), []


def t_nm_card():
    return join(op(), ch(CARD_T).replace("{c}", ch(CARDS)), ch(["", "", "?", "pls"])), []


def t_nm_pw():
    s = ch(PW_T).replace("{v}", ch(PW_V)).replace("{p}", ch(PW_P))
    return join(op(), s, ch(["", "", "?", "pls"])), []


def t_nm_order():
    s = (ch(ORDER_T).replace("{n}", num()).replace("{i}", ch(ORDER_ITEMS)).replace("{w}", ch(WHEN))
         .replace("{d}", ch(DAYS)))
    return join(op(), s, ch(["", "", "?", "pls", "thanks"])), []


def t_nm_tc():
    return join(op(), ch(TC_T).replace("{x}", ch(TC_X)), ch(["", "", "?", "thanks"])), []


# ---- billing -------------------------------------------------------------------------
def t_b_double():
    return join(op(), ch(DOUBLE_T).replace("{i}", ch(BITEMS)), ch(UNREC_TAIL[5:] + ["", ""])), ["B"]


def t_b_unrec():
    m = ch(MERCH).replace("{x}", ch(MCODES)).replace("{c}", ch(CITIES))
    head = ch(UNREC)
    mid = maybe("of " + amt(), 0.7) if head != "who took" else amt()
    return join(op(), head, mid, maybe("from " + m, 0.6), ch(UNREC_TAIL)), ["B"]


def t_b_wrong():
    a1, a2 = amt_pair()
    s = (ch(WRONG_T).replace("{y}", ch(["you", "they", "you guys", "the app"])).replace("{a1}", a1)
         .replace("{a2}", a2).replace("{i}", ch(BITEMS)))
    return join(op(), s, ch(["", "", "fix it", "??", "explain"])), ["B"]


def t_b_fee():
    art = ch(FEE_KIND)
    fee = join(art, ch(FEE_NAMES))
    a = "an" if fee[0] in "aeiou" else "a"
    s = ch(FEE_WHY).replace("{a}", a).replace("{f}", fee).replace("{d}", ch(FEE_DOC))
    return join(op(), s + ch([",", ".", " -", ""]), ch(FEE_TAIL)), ["B"]


def t_b_refund():
    r = ch(REFUND_ITEMS).replace("{n}", num())
    t = ch(REFUND_TIME).replace("{k}", str(R.randint(2, 9))).replace("{m}", ch(MONTHS))
    return join(op(), ch(REFUND_T).replace("{r}", r) + ("," if t else ""), t), ["B"]


def t_b_fx():
    s = (ch(FX_T).replace("{p}", ch(FX_P)).replace("{c}", ch(FX_C)).replace("{bad}", ch(FX_BAD))
         .replace("{bad2}", ch(FX_BAD2)).replace("{bad3}", ch(FX_BAD3)).replace("{amt}", amt()))
    return join(op(), s, ch(["", "", "i want the difference back", "refund the difference", "??"])), ["B"]


def t_b_after():
    s = ch(AFTER_T).replace("{s}", ch(AFTER_S)).replace("{w}", ch(AFTER_W))
    return join(op(), s, ch(["", "", "refund me", "??", "this is wrong", "i want my money back"])), ["B"]


def t_b_over():
    return join(op(), ch(OVER_T).replace("{i}", ch(BITEMS)).replace("{amt}", amt()),
                ch(["", "", "sort it out", "i want a refund", "again"])), ["B"]


# ---- security ------------------------------------------------------------------------
def t_s_lost():
    w = ch(WHERE)
    return join(op(), ch(LOST_PH), "my", ch(LOST_OBJ), w + ("," if w else ""), ch(S_ACTION)), ["S"]


def t_s_stolen():
    obj = ch(LOST_OBJ)
    w = ch(WHERE)
    shape = R.randrange(4)
    if shape == 0:
        s = join("someone stole my", obj, w)
    elif shape == 1:
        s = join("i got pickpocketed", w + ",", obj, "gone")
    else:
        s = join("my", obj, ch(STOLEN_PH), w)
    return join(op(), s + ",", ch(S_ACTION)), ["S"]


def t_s_hack():
    tl = ch(HACK_TAIL)
    return join(op() if R.random() < 0.3 else "", ch(HACK_BELIEF), ch(HACK_ACCT), ch(HACK_PH) + ("," if tl else ""),
                tl), ["S"]


def t_s_pin():
    return join(op(), ch(PIN_WHO), ch(PIN_V), "my", ch(PIN_P),
                ch(["", "", "what do i do", "can you change it", "i'm scared they'll use it", "help",
                    "please lock my account"])), ["S"]


def t_s_phish():
    return join(op(), "i", ch(PHISH_V), "a", ch(PHISH_K), ch(PHISH_M), ch(PHISH_F), "and", ch(PHISH_E),
                "my", ch(PHISH_D), ch(["", "", "what now", "am i in trouble", "help"])), ["S"]


def t_s_sim():
    return join(op(), ch(SIM_A), ch(SIM_B) + ",", ch(SIM_C)), ["S"]


def t_s_login():
    s = (ch(LOGIN_T).replace("{g}", ch(LOGIN_G)).replace("{g2}", "get").replace("{k}", ch(LOGIN_K))
         .replace("{f}", ch(LOGIN_F)))
    return join(op(), s, ch(["", "", "is my account compromised", "someone is trying to get in",
                             "not me", "what do i do"])), ["S"]


def t_s_stolen_chg():
    obj = ch(["card", "debit card", "credit card", "wallet", "phone", "purse", "bank card"])
    return join(op(), "my", obj, ch(STOLEN_PH), ch(WHERE), "and", ch(["now", "already", ""]),
                ch(STOLEN_CHG)), ["S", "B"]


# ---- legal ---------------------------------------------------------------------------
def t_l_threat():
    return join(ch(L_COND), ch(L_ACT), ch(["", "", ".", "!!", "trust me"])), ["L", "F"]


def t_l_gdpr():
    return join(op(), ch(L_GDPR), ch(L_GDPR_TAIL)), ["L"]


def t_l_reg():
    return join(op() if R.random() < 0.3 else "", ch(L_REG_V), "to", ch(L_REG),
                ch(["", "", "about this", "today", "if this isnt fixed", "tomorrow"])), ["L", "F"]


def t_l_bill():
    code, iss = ch([x for x in LABELED_ISSUES if x[0] == "B"])
    return join(fill(iss) + ch([",", ".", " -", " and"]), ch(L_ACT)), ["B", "L", "F"]


# ---- cancellation --------------------------------------------------------------------
def c_phrase():
    if R.random() < 0.45:
        return ch(C_ACCT_V) + " my " + ch(C_ACCT)
    return ch(C_SUB_V) + " my " + ch(C_SUB)


def t_c_want():
    r = ch(C_REASON)
    return join(op(), ch(C_WANT), c_phrase() + ("," if r else ""), r, ch(TRAILERS)), ["C"]


def t_c_how():
    r = ch(C_REASON)
    return join(op(), ch(["how do i", "how can i", "how would i", "whats the process to", "where do i",
                          "what do i need to do to"]), c_phrase() + ("," if r else ""), r), ["C"]


def t_c_leave():
    return join(op(), ch(C_LEAVE_A) + ch([",", ".", " so", " -", ""]), ch(C_LEAVE_B), ch(TRAILERS)), ["C"]


def t_c_bill():
    return join(op(), ch(["cancel my " + ch(C_SUB), "close my " + ch(C_ACCT)]), ch(C_B)), ["C", "B"]


# (name, function, quota). Quotas keep every template well under 3% of the final file.
TEMPLATES = [
    ("e_ask", t_e_ask, 36), ("e_connect", t_e_connect, 32), ("e_give", t_e_give, 28),
    ("e_short", t_e_short, 24), ("e_avail", t_e_avail, 30), ("e_refuse", t_e_refuse, 32),
    ("e_nobot", t_e_nobot, 30), ("e_issue", t_e_issue, 30), ("e_issue_multi", t_e_issue_multi, 34),
    ("e_glued", t_e_glued, 20), ("e_callback", t_e_callback, 20), ("e_wait", t_e_wait, 18),
    ("n_contact", t_n_contact, 36), ("n_hours", t_n_hours, 28), ("n_third", t_n_third, 36),
    ("n_neg", t_n_neg, 36), ("n_past", t_n_past, 34), ("n_frust", t_n_frust, 28),
    ("n_question", t_n_question, 30), ("n_service", t_n_service, 22),
    ("nm_fee", t_nm_fee, 24), ("nm_card", t_nm_card, 18), ("nm_pw", t_nm_pw, 18),
    ("nm_order", t_nm_order, 26), ("nm_tc", t_nm_tc, 18),
    ("b_double", t_b_double, 20), ("b_unrec", t_b_unrec, 26), ("b_wrong", t_b_wrong, 18),
    ("b_fee", t_b_fee, 20), ("b_refund", t_b_refund, 20), ("b_fx", t_b_fx, 12),
    ("b_after", t_b_after, 14), ("b_over", t_b_over, 12),
    ("s_lost", t_s_lost, 22), ("s_stolen", t_s_stolen, 24), ("s_hack", t_s_hack, 22),
    ("s_pin", t_s_pin, 16), ("s_phish", t_s_phish, 16), ("s_sim", t_s_sim, 10),
    ("s_login", t_s_login, 14), ("s_stolen_chg", t_s_stolen_chg, 14),
    ("l_threat", t_l_threat, 28), ("l_gdpr", t_l_gdpr, 20), ("l_reg", t_l_reg, 18),
    ("l_bill", t_l_bill, 10),
    ("c_want", t_c_want, 32), ("c_how", t_c_how, 24), ("c_leave", t_c_leave, 20),
    ("c_bill", t_c_bill, 10),
]


# --------------------------------------------------------------------------------------
# Noise for generated lines
# --------------------------------------------------------------------------------------
SUBS = [(r"\byou\b", ["u"], 0.25), (r"\byour\b", ["ur", "yr"], 0.25),
        (r"\bplease\b", ["pls", "plz", "plese", "pleaseee"], 0.35), (r"\bwant to\b", ["wanna"], 0.3),
        (r"\bgoing to\b(?! the| court| small| my| report)", ["gonna"], 0.3), (r"\bthanks\b", ["thx", "thanx"], 0.3),
        (r"\bbecause\b", ["cuz", "bc"], 0.4), (r"\bare\b", ["r"], 0.08),
        (r"\bwhat is\b", ["whats", "wats"], 0.3), (r"\bi am\b", ["im"], 0.3),
        (r"\bsomeone\b", ["some one", "sum1", "someome"], 0.08), (r"\bto\b", ["2"], 0.04),
        (r"\bthe\b", ["teh", "th"], 0.03), (r"\bmy\b", ["m y", "ym"], 0.02)]


def typo_word(w):
    if len(w) < 4 or not w.isalpha():
        return w
    o = R.randrange(4)
    i = R.randrange(1, len(w) - 1)
    if o == 0:
        return w[:i] + w[i + 1:]
    if o == 1:
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    if o == 2:
        return w[:i] + w[i] + w[i:]
    nb = KEYB.get(w[i])
    return w[:i] + ch(nb) + w[i + 1:] if nb else w


def noisify(text):
    t = text
    for pat, reps, p in SUBS:
        t = re.sub(pat, lambda m, reps=reps, p=p: ch(reps) if R.random() < p else m.group(0), t)
    if R.random() < 0.5:
        t = t.replace("'", "")
    words = t.split(" ")
    if R.random() < 0.35 and len(words) > 1:
        for _ in range(R.choice([1, 1, 2])):
            j = R.randrange(len(words))
            words[j] = typo_word(words[j])
    if R.random() < 0.12 and len(words) > 2:
        j = R.randrange(len(words) - 1)
        words[j:j + 2] = [words[j] + words[j + 1]]
    t = " ".join(words)
    r = R.random()
    if r < 0.35:
        t = re.sub(r"(?<!\d)[.,]|[.,](?!\d)|[!?]", "", t)
    elif r < 0.55:
        t = t.rstrip(".,") + ch(["?", "!", "!!", "...", "??", ".", "!!!", " ?"])
    r = R.random()
    if r < 0.74:
        t = t.lower()
    elif r < 0.92:
        t = t[:1].upper() + t[1:]
        t = re.sub(r"\bi\b", "I", t)
        t = re.sub(r"\bim\b", "Im", t)
    elif r < 0.96 and len(t) < 45:
        t = t.upper()
    t = re.sub(r"\s+", " ", t).strip()
    return t


def norm_key(t):
    return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()


# --------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------
def to_labels(codes):
    s = [CODE[c] for c in codes]
    return [l for l in LABELS if l in s]


def build():
    rows = []
    seen_exact = {}
    seen_norm = {}
    for text, codes in parse_hand():
        if text in seen_exact:
            continue
        seen_exact[text] = 1
        seen_norm[norm_key(text)] = 1
        rows.append((text, to_labels(codes), "hand"))
    for name, fn, quota in TEMPLATES:
        got, tries = 0, 0
        while got < quota and tries < quota * 60:
            tries += 1
            text, codes = fn()
            text = noisify(text)
            k = norm_key(text)
            if not k or k in seen_norm or text in seen_exact:
                continue
            seen_norm[k] = 1
            seen_exact[text] = 1
            rows.append((text, to_labels(codes), name))
            got += 1
    R.shuffle(rows)
    return rows


def main():
    import sys
    rows = build()
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "supplement.jsonl")
    lines = []
    for text, labels, _src in rows:
        assert "\n" not in text and "\r" not in text
        lines.append(json.dumps({"text": text, "labels": labels}, ensure_ascii=False) + "\n")
    body = "".join(lines)
    if "--check" in sys.argv[1:]:
        with open(out, encoding="utf-8", newline="\n") as f:
            if f.read() != body:
                sys.exit(f"{out} differs from what this script builds: run it without --check")
        print(f"{out} is what this script builds ({len(rows)} lines)")
        return rows
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(body)
    print(f"wrote {len(rows)} lines to {out}")
    return rows


if __name__ == "__main__":
    main()
