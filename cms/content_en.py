"""The English of the portal's own content (the pages of cms/services.py and the demo's
procedures), source text → translation, as an editor would type it in the admin's translation
editor. Slugs and links are not listed: translations keep them (cms/services.py)."""

ENGLISH: dict[str, str] = {
    # The tree created by portal_init.
    "Bienvenue sur votre portail": "Welcome to your portal",
    "Clients : commandez, suivez vos interventions et téléchargez vos factures. Techniciens : "
    "retrouvez vos interventions et remplissez vos bons sur le terrain.":
        "Customers: place orders, follow your interventions and download your invoices. "
        "Technicians: find your interventions and fill in your job sheets on site.",
    "Espace client": "Customer area",
    "Mon compte": "My account",
    "Intranet techniciens": "Technicians' intranet",
    "Mon profil": "My profile",
    # The public home page's content (HOME_CONTENT in cms/services.py).
    "Le portail de nos clients et de nos techniciens : vos commandes, vos factures et vos "
    "interventions, en ligne, à toute heure, sur ordinateur comme sur téléphone.":
        "The portal of our customers and technicians: your orders, your invoices and your "
        "interventions, online, at any time, on a computer as on a phone.",
    "Pour les entreprises clientes : chaque utilisateur y voit ce que ses droits lui ouvrent.":
        "For our customer companies: each user sees what their rights open to them.",
    "Catalogue avec le stock disponible en temps réel": "Catalogue with the stock available "
                                                        "in real time",
    "Commandes en préparation, passées et suivies jusqu'à la livraison":
        "Orders being prepared, placed and followed until delivery",
    "Factures et documents (contrats, bons de commande, bons d'intervention) à télécharger":
        "Invoices and documents (contracts, orders, intervention reports) to download",
    "Demandes d'intervention avec photos et suivi des interventions":
        "Service requests with photos, and the follow-up of interventions",
    "Parc d'équipements, contrats de maintenance et exports Excel":
        "Installed equipment, maintenance contracts and Excel exports",
    "Accéder à l'espace client": "Go to the customer area",
    "Pour nos techniciens, sur le terrain comme à l'atelier.":
        "For our technicians, on site as in the workshop.",
    "Tableau de bord LivePilot de la journée et de la semaine":
        "LivePilot dashboard of the day and the week",
    "Interventions du jour, filtrées par client, statut ou période":
        "The day's interventions, filtered by customer, status or period",
    "Bon d'intervention sur téléphone : heures, relevé, articles, frais, photos":
        "Intervention sheet on a phone: hours, meter reading, articles, expenses, photos",
    "Signature du client sur l'écran et bon PDF aussitôt disponible":
        "The customer signs on the screen and the PDF report is available at once",
    "Accéder à l'intranet": "Go to the intranet",
    "Comment se connecter ?": "How to log in?",
    "Connectez-vous avec l'adresse e-mail et le mot de passe de votre accès portail : vous "
    "arrivez directement dans votre espace. Pas encore d'accès ? Le gestionnaire du portail de "
    "votre société peut vous inviter, ou demandez-le à votre interlocuteur habituel.":
        "Log in with the e-mail address and password of your portal access: you land straight "
        "in your area. No access yet? Your company's portal manager can invite you, or ask "
        "your usual contact.",
    # The extranet's pages.
    "Catalogue": "Catalogue",
    "Commandes": "Orders",
    "Commande": "Order",
    "Factures": "Invoices",
    "Documents": "Documents",
    "Équipements": "Equipment",
    "Demandes d'intervention": "Service requests",
    "Nouvelle demande": "New request",
    "Interventions": "Interventions",
    "Contacts": "Contacts",
    "Collègues": "Colleagues",
    "Mes droits": "My rights",
    "Conditions d'intervention": "Service terms",
    "Nos engagements": "Our commitments",
    "Intervention sous 24 h ouvrées pour une demande urgente, sous 5 jours ouvrés sinon.":
        "On site within 24 working hours for an urgent request, within 5 working days "
        "otherwise.",
    "Astreinte le week-end pour les contrats Premium.":
        "Weekend on-call service for Premium contracts.",
    "Procédures et notices": "Procedures and manuals",
    # The intranet's pages.
    "Mes interventions": "My interventions",
    "Fiche d'intervention": "Intervention sheet",
    "Nouvelle intervention": "New intervention",
    "Consignes de sécurité": "Safety instructions",
    "EPI obligatoires sur tout chantier. En cas d'accident, appelez le 112 puis le "
    "responsable d'astreinte.":
        "PPE is mandatory on every site. In case of accident, call 112, then the manager "
        "on call.",
    "Procédures techniques": "Technical procedures",
    # Public pages.
    "Rechercher": "Search",
    "Mentions légales": "Legal notice",
    "Éditeur : Atelier Services SAS, 12 rue des Artisans, 69007 Lyon. Hébergement : "
    "serveurs de l'entreprise.":
        "Publisher: Atelier Services SAS, 12 rue des Artisans, 69007 Lyon. Hosting: the "
        "company's own servers.",
    # Procedure categories.
    "Vos équipements": "Your equipment",
    "Utiliser le portail": "Using the portal",
    "Sécurité": "Safety",
    "Maintenance": "Maintenance",
    # Procedures: title, summary and download label.
    "Purger un radiateur": "Bleeding a radiator",
    "Retirer l'air d'un radiateur qui chauffe mal en haut, sans outil spécial.":
        "Let the air out of a radiator that is cold at the top, with no special tool.",
    "Purger un radiateur (PDF)": "Bleeding a radiator (PDF, in French)",
    "Relever le compteur d'une chaudière": "Reading a boiler's meter",
    "Lire et transmettre le relevé d'heures de fonctionnement de votre chaudière.":
        "Read your boiler's running hours and send them to us.",
    "Relever le compteur d'une chaudière (PDF)": "Reading a boiler's meter (PDF, in French)",
    "Demander une intervention": "Requesting an intervention",
    "Les informations à réunir pour une demande traitée au plus vite.":
        "What to gather so that your request is handled as fast as possible.",
    "Demander une intervention (PDF)": "Requesting an intervention (PDF, in French)",
    "Consignation électrique avant intervention": "Electrical lockout before work",
    "Séparer, condamner, identifier et vérifier l'absence de tension avant tout travail.":
        "Isolate, lock out, identify and check for the absence of voltage before any work.",
    "Consignation électrique avant intervention (PDF)":
        "Electrical lockout before work (PDF, in French)",
    "Entretien annuel d'une chaudière gaz": "Annual servicing of a gas boiler",
    "Le déroulé de la visite d'entretien réglementaire et les mesures à consigner.":
        "The steps of the statutory servicing visit and the readings to record.",
    "Entretien annuel d'une chaudière gaz (PDF)":
        "Annual servicing of a gas boiler (PDF, in French)",
    "Mise en service d'une pompe à chaleur": "Commissioning a heat pump",
    "Contrôles et réglages à la première mise en route d'une PAC air/eau.":
        "Checks and settings when an air-to-water heat pump is first started.",
    "Mise en service d'une pompe à chaleur (PDF)": "Commissioning a heat pump (PDF, in French)",
}
