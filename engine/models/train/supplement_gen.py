#!/usr/bin/env python3
"""Deterministic builder for supplement.jsonl (Baton hand-off classifier training data).

Run:  python3 supplement_gen.py            -> writes supplement.jsonl next to this file
The output is byte-for-byte reproducible (fixed seed, no set/dict-order dependence).

Two sources:
  * HAND: lines written individually by hand (code|text). Codes: E explicit_request,
    B billing_dispute, S account_security, L legal, C cancellation, '-' = no label.
  * Template generator: hand-written fragments combined at random, each template
    capped by a quota so that no single pattern exceeds ~2.5% of the file; generated
    lines get light noise (typos, glued words, casing, punctuation).
"""
import json
import os
import random
import re

SEED = 1357911
R = random.Random(SEED)

LABELS = ["explicit_request", "billing_dispute", "account_security", "legal", "cancellation"]
CODE = {"E": "explicit_request", "B": "billing_dispute", "S": "account_security",
        "L": "legal", "C": "cancellation"}

# --------------------------------------------------------------------------------------
# Hand-written lines
# --------------------------------------------------------------------------------------
HAND = r"""
# ---- explicit_request ----
E|can i talk to a huamn pls
E|i want a real person not a bot
E|AGENT
E|agent agent agent agent
E|representative please
E|speak to someone
E|is anyone there who is a real person
E|are there any agents available rn
E|get me someone who actually knows what theyre doing
E|this bot is useless
E|i dont want to talk to a machine
E|not comfortable sharing my card details with a bot tbh
E|youre not helping, i want a real one
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
E|your bot keeps looping, human please
E|this chatbot is a joke
E|you are the worst bot ive ever used
E|stupid bot
E|dumb robot get me a person
E|ur not understanding me at all, i need someone real
E|you keep giving me the same answer, i want someone who can actually help
E|im not typing my account number into a bot
E|i dont trust bots with my medical info, can i talk to someone
E|not discussing my claim with a computer
E|i refuse to talk to an ai
E|are there any humans working today
E|is somone available to chat
E|any agent online?
E|anyone there?? real person??
E|been waiting 20 mins for an agen
E|still waiting for the agent to join the chat
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
E|cmon just let me talk to someone
E|omg i just want a person
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
E|im not explaining my lost parcel to a bot again, get me a rep
E|the bot doesnt get it. human.
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
E|you are useless, transfer me
E|transfer me. now.
E|please let me speak to a manager, ive been with you 10 years
E|I'd like to speak to a supervisor regarding the service I received in store
E|Could you connect me to a human agent, my issue is complicated
E|my problem is too complicated for a bot, can i talk to someone
E|this needs a human, trust me
E|dont want the automated thing, i want a real one
E|i hate these automated chats, person please
E|real agent pls not automated replies
E|i asked for a human 3 times already
E|why wont you let me speak to a person
E|why cant i just talk to someone
E|i keep asking for an agent and you keep ignoring me
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
E|let me speak to a human, I'm tired of pressing buttons
E|I don't want to answer questions from a robot, get me an agent
E|not dealing with a bot for this
E|i'm not comfortable giving my passport number to a chatbot
E|i dont feel safe sharing my address with a bot, can a person help
E|bots cant fix this. human pls
E|you're literally useless, get me your supervisor
E|what a useless bot, is there a manager
E|this is pointless. real agent.
E|worst chatbot ever. agent please
E|i want a human to handle my seat change
E|give me a real human, your answers make no sense
E|your answers make no sense, someone else please
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
E|I'm sick of this bot
E|i am sick of talking to a computer
E|enough with the bot
E|quit the bot thing and get me a person
E|ok bot you lost me, human please
E|thanks but no, i'd rather a human
E|thanks bot but i need a person for this one
E|that didnt help, can i speak to someone
E|none of these options fit, i want to talk to someone
E|none of the above. agent
E|other - speak to agent
E|option: speak to someone
E|main menu is useless, give me a person
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
E|i have been chatting with this bot for 15 minutes, i need an actual employee
E|can i talk to an employee please
E|get me an actual employee
E|pls i am old and dont understand the bot, a person please
E|my english not so good, i need a person to help
E|bot not understand me, human please sir
E|hello madam can i speak to the executive regarding my sim
E|i want to talk with the shop manager about my order
E|need the duty manager
E|give me the complaints manager
E|can i have a word with someone senior
E|i'd like to speak with someone more senior please
E|can you escalate me to your team lead
E|team leader please
E|is a human going to take over or not
E|i'm waiting for a human to pick this up
E|when can i talk to a real person
E|how long until an agent is free
E|place me in the queue for an agent
E|queue me for a human please
E|add me to the callback list for an advisor
E|i pressed 0 for an operator and ended up here, i want the operator
E|i want the chat with a real human not the faq
E|stop sending me faq links, i need an agent
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
E,B|supervisor please, my refund never arrived and this is the third time i ask
E,B|i need a real person, theres a fee on my bill that nobody told me about
E,S|my card was stolen get me a human now
E,S|i think my account is hacked, i need a real person immediately
E,S|phone got nicked, need to speak to someone to block everything
E,S|someone has my online banking password, put me through to an agent
E,C|get me an agent i want to cancel my contract
E,C|i want to close my account, can i talk to someone
E,C|connect me to a rep to terminate my membership
E,C|human please, i want to cancel my broadband
E,L|i want a supervisor or i'm calling my lawyer
E,L|put me through to a manager or i'm going to the ombudsman
E,B,L|give me a human right now, you overcharged me and my solicitor is next
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
-|ugh my parcel is late again
-|this is so frustrating, my wifi keeps dropping every evening
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
-|the courier guy was really rude honestly
-|the lady at the check in desk said my bag was overweight, whats the limit
-|the manager at the shop said i could return it within 60 days
-|your colleague on the phone said you'd email me the form, still waiting
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
-|last time the agent hung up on me, anyway what's my balance
-|the rep i talked to was lovely
-|an agent already sorted it yesterday thanks
-|a person from your team called me earlier and i missed it, what was it about
-|the guy at the branch was unhelpful honestly, anyway how do i order a new chequebook
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
-|ugh the app keeps crashing
-|why is the app so slow today
-|your website wont load
-|this is taking forever
-|honestly so annoyed the delivery window keeps changing
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
B|still havent got my refund from 3 weeks ago
B|ive been overbilled for 3 months straight
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
B|overcharged on my water bill again
B|they charged me for excess baggage but my bag was under the limit
B|my bill says 78 but my plan is 45 a month
B|unexpected charge of 12 on my phone bill for premium services
B|charged a cancellation fee even though i cancelled within the cooling off period
B|i was promised a refund and its been 6 weeks
B|where is my refund
B|refund still not received for order 4471
B|returned the jacket 3 weeks ago no refund yet
B|i returned everything and got charged a restocking fee nobody mentioned
B|why is there an overdraft fee, i was never overdrawn
B|you charged interest on a balance i paid in full
B|charged twice for one takeaway order, only got 1 meal
B|i paid for next day delivery and it came a week later, i want that fee back
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
L|i will be contacting my lawyer about this
L|im going to sue you
L|see you in court
L|im taking this to the ombudsman
L|filing a complaint with the fca
L|i want all the data you hold on me under gdpr
L|subject access request please
L|please delete my personal data under article 17 gdpr
L|my attorney will be in touch
L|small claims court it is then
L|we received a subpoena for records, where should it be served
L|i've spoken to a solicitor and i have a case
L|this is a breach of consumer law, expect legal action
L|i'm reporting you to ofcom
L|complaint going to the energy ombudsman
L|reporting this to the financial ombudsman service
L|im going to the regulator with this
L|i'll be filing a claim in small claims
L|my lawyer says you are in breach of contract
L|do you want to hear from my lawyer? because thats next
L|legal action will follow if this isnt sorted
L|i will see you in court if i have to
L|under the data protection act i want a copy of my call recordings
L|send me a dsar form
L|i want to exercise my right to be forgotten
L|gdpr request: what personal data do you store about me
L|i'm a paralegal at a law firm, we need to serve legal papers on your company
L|our law firm represents your former customer, where do we send the letter before action
L|i'm considering legal proceedings
L|i'll report you to trading standards
L|reporting you to the civil aviation authority
L|i'm filing with the consumer financial protection bureau
L|i've already contacted a no win no fee lawyer about my claim
L|my solicitor has advised me not to pay until this is resolved
L|i'll be taking this to the insurance ombudsman
L|a court order for my records is attached, who handles it
L|ive got a lawyer friend who says this is illegal and im going to use him
# ---- multi legal ----
L,B|court summons arrived for a debt i dont owe, you billed the wrong person
B,L|if you dont refund the bogus charge im going to small claims
B,L|you double charged me and my lawyer will hear about it
B,L|overcharged for 6 months, reporting you to the ombudsman
S,L|my identity was stolen because of your data leak, im seeing a lawyer
L,C|cancel my contract or i'll take you to court
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
C|turn off auto renew, i'm done with this service
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
C|return the router and stop the service, we're done
C|dont renew my subscription next year
C|no longer need the service, cancel it
C|i'm not using it anymore, close my account
C|can you shut down my account
C|how do i cancel the pro subscription in the app
C|my mum passed away, i need to close her accounts
C|we're closing the business so please terminate all our services
# ---- multi cancellation ----
C,B|cancel my subscription, and you charged me twice last month so refund one
C,B|i want to close my account, you keep adding fees i never agreed to
C,B|cancel my contract, ive been overbilled since day one
C,S|my account was hacked, just close it
C,S|lost my phone, cancel the line on it
"""


def parse_hand():
    rows = []
    for line in HAND.split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, text = line.split("|", 1)
        codes = [] if code == "-" else code.split(",")
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
    return join(op() if R.random() < 0.3 else "", s + ch([",", ".", "", " -", "!!"]), tail), ["E"]


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


def t_n_frust():
    return join(ch(FRUST_EX), ch(FRUST) + ch([",", ".", "", " -"]), ch(FRUST_TAIL)), []


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
    return join(ch(L_COND), ch(L_ACT), ch(["", "", ".", "!!", "trust me"])), ["L"]


def t_l_gdpr():
    return join(op(), ch(L_GDPR), ch(L_GDPR_TAIL)), ["L"]


def t_l_reg():
    return join(op() if R.random() < 0.3 else "", ch(L_REG_V), "to", ch(L_REG),
                ch(["", "", "about this", "today", "if this isnt fixed", "tomorrow"])), ["L"]


def t_l_bill():
    code, iss = ch([x for x in LABELED_ISSUES if x[0] == "B"])
    return join(fill(iss) + ch([",", ".", " -", " and"]), ch(L_ACT)), ["B", "L"]


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
