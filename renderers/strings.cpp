// renderers/strings.cpp: the table of fixed UI strings, English and Spanish.
#include "renderers/strings.hpp"

#include <array>

namespace askonce::renderers {
namespace {

struct Row {
  Ui key;
  std::string_view en;
  std::string_view es;
};

// One row per key, in the enum's order (checked below).
constexpr Row table[] = {
    {Ui::Question, "Question", "Pregunta"},
    {Ui::QuestionN, "Question %1", "Pregunta %1"},
    {Ui::Required, "Required", "Obligatoria"},
    {Ui::Optional, "Optional", "Opcional"},
    {Ui::PageNOfM, "Page %1 of %2", "Página %1 de %2"},
    {Ui::CheckYourAnswers, "Check your answers", "Revise sus respuestas"},
    {Ui::ReferenceNumber, "Reference number", "Número de referencia"},
    {Ui::TimeReceived, "Received", "Recibida"},
    {Ui::AgenciesReceiving, "Agencies that receive your application", "Agencias que reciben su solicitud"},
    {Ui::NoAgencies, "No agency receives this application.", "Ninguna agencia recibe esta solicitud."},
    {Ui::WhatHappensNext, "What happens next", "Qué sucede ahora"},
    {Ui::Receipt, "Receipt", "Recibo"},
    {Ui::ApplicationReceived, "We received your application", "Recibimos su solicitud"},
    {Ui::Section, "Part", "Parte"},
    {Ui::SectionN, "Part %1 of %2: %3", "Parte %1 de %2: %3"},
    {Ui::FormVersion, "Form version %1", "Versión %1 del formulario"},
    {Ui::Instructions, "Instructions", "Instrucciones"},
    {Ui::SelectPrompt, "- Select -", "- Seleccione -"},
    {Ui::DateExample, "For example: 4 28 1986.", "Por ejemplo: 4 28 1986."},
    {Ui::Hint, "Help", "Ayuda"},
    {Ui::Answer, "Answer", "Respuesta"},
    {Ui::NotAnswered, "Not answered", "Sin respuesta"},
    {Ui::NotAsked, "Not asked", "No se preguntó"},
    {Ui::Yes, "Yes", "Sí"},
    {Ui::No, "No", "No"},
    {Ui::Agreed, "Agreed", "Aceptado"},
    {Ui::NotAgreed, "Not agreed", "No aceptado"},
    {Ui::EntryN, "%1 %2", "%1 %2"},
    {Ui::NoEntries, "None", "Ninguna"},
    {Ui::Continue, "Continue", "Continuar"},
    {Ui::Back, "Back", "Atrás"},
    {Ui::Submit, "Submit", "Enviar"},
    {Ui::Change, "Change", "Cambiar"},
    {Ui::Add, "Add", "Agregar"},
    {Ui::Remove, "Remove", "Quitar"},
    {Ui::ThereIsAProblem, "There is a problem", "Hay un problema"},
    {Ui::ErrorPrefix, "Error:", "Error:"},
    {Ui::ComputedNote, "Worked out from your other answers; you do not fill this in.",
     "Se calcula a partir de sus otras respuestas; usted no lo llena."},
    {Ui::ContinuationSheet,
     "If you need more room, attach a sheet of paper with the question number and your answer.",
     "Si necesita más espacio, adjunte una hoja de papel con el número de la pregunta y su respuesta."},
    {Ui::EndOfForm, "the end of the form", "el final del formulario"},
    {Ui::Month, "Month", "Mes"},
    {Ui::Day, "Day", "Día"},
    {Ui::Year, "Year", "Año"},
    {Ui::Language, "Language", "Idioma"},
    {Ui::SensitiveEnding, "ending in %1", "que termina en %1"},
    {Ui::YourAnswers, "Your answers", "Sus respuestas"},
    {Ui::YourAnswer, "Your answer: %1", "Su respuesta: %1"},
    {Ui::AskedForEachEntry, "Questions %1 to %2 are asked for each entry.",
     "Las preguntas %1 a %2 se hacen para cada entrada."},
    {Ui::AskedForEachEntry1, "Question %1 is asked for each entry.", "La pregunta %1 se hace para cada entrada."},
    {Ui::ReadOnlyIf, "Read only if %1.", "Lea solo si %1."},
    {Ui::ProblemAt, "%1: %2", "%1: %2"},
    {Ui::PaperInk, "Use black or blue ink.", "Use tinta negra o azul."},
    {Ui::PaperCapitals, "Write in capital letters, one character in each box.",
     "Escriba con letras mayúsculas, un carácter en cada casilla."},
    {Ui::PaperTick, "Check a box like this: %1", "Marque una casilla así: %1"},
    {Ui::PaperFollowSkips, "Follow the instructions that tell you which question to go to.",
     "Siga las instrucciones que le indican a qué pregunta pasar."},
    {Ui::PaperKeepCopy, "Keep a copy for your records.", "Guarde una copia para sus archivos."},
    {Ui::PaperTickOne, "Check one.", "Marque una."},
    {Ui::PaperTickAll, "Check all that apply.", "Marque todas las que correspondan."},
    {Ui::Signature, "Signature", "Firma"},
    {Ui::Date, "Date", "Fecha"},
    {Ui::AgencyState, "%1: %2", "%1: %2"},
    {Ui::DeliveryPending, "Pending", "Pendiente"},
    {Ui::DeliveryDelivered, "Delivered", "Entregada"},
    {Ui::DeliveryFailed, "Could not be delivered", "No se pudo entregar"},
    {Ui::ReceiptPdf, "Receipt as PDF, to print", "Recibo en PDF, para imprimir"},
    {Ui::ReceiptText, "Receipt as plain text", "Recibo en texto simple"},
    // The server's own pages (server/http/web_pages.cpp)
    {Ui::FormsTitle, "Forms", "Formularios"},
    {Ui::FormsIntro,
     "Fill in a form once: every agency that needs your answers gets them. Each form is also available "
     "on paper, to print and mail, and as plain text.",
     "Llene un formulario una vez: cada agencia que necesita sus respuestas las recibe. Cada formulario "
     "también está disponible en papel, para imprimir y enviar por correo, y como texto simple."},
    {Ui::FillOnline, "Fill it in online", "Llénelo en línea"},
    {Ui::PaperForm, "Paper form (PDF)", "Formulario en papel (PDF)"},
    {Ui::TextVersion, "Text version", "Versión de texto"},
    {Ui::RefusedTitle, "We could not accept this page", "No pudimos aceptar esta página"},
    {Ui::RefusedWhy,
     "For your safety, we only accept a form sent from the page we gave your browser. This page came "
     "without the security code that goes with it. This happens when cookies are turned off, when the "
     "page was opened in another browser, or when it came from another website.",
     "Por su seguridad, solo aceptamos un formulario enviado desde la página que le dimos a su navegador. "
     "Esta página llegó sin el código de seguridad que la acompaña. Esto sucede cuando las cookies están "
     "desactivadas, cuando la página se abrió en otro navegador o cuando vino de otro sitio web."},
    {Ui::RefusedNothingSaved, "Nothing you sent was saved.", "No se guardó nada de lo que envió."},
    {Ui::RefusedBack, "Go back to the form", "Volver al formulario"},
    {Ui::AllForms, "All forms", "Todos los formularios"},
    // The web journey, one step at a time
    {Ui::StepNOfM, "Step %1 of %2", "Paso %1 de %2"},
    {Ui::SubmitApplication, "Submit application", "Enviar solicitud"},
    {Ui::DeleteMyAnswers, "Delete my answers", "Borrar mis respuestas"},
    {Ui::Declaration, "Declaration", "Declaración"},
    {Ui::EntriesSoFar, "Added so far", "Agregados hasta ahora"},
    {Ui::AlreadySent, "You already sent this application", "Usted ya envió esta solicitud"},
    {Ui::AlreadySentText, "We have your application, and it was sent only once. Your receipt says which agencies got it.",
     "Tenemos su solicitud y se envió una sola vez. Su recibo dice qué agencias la recibieron."},
    {Ui::SeeReceipt, "See your receipt", "Ver su recibo"},
    {Ui::StartAgain, "Start a new application", "Comenzar una solicitud nueva"},
    {Ui::AnswersDeleted, "Your answers were deleted", "Sus respuestas se borraron"},
    {Ui::AnswersDeletedText, "Nothing you entered is kept. You can start again at any time.",
     "No se guarda nada de lo que escribió. Puede comenzar de nuevo cuando quiera."},
    // The page frame and the start page. The banner's words are USWDS's own, in English and Spanish.
    {Ui::SkipToMain, "Skip to main content", "Saltar al contenido principal"},
    {Ui::BannerLabel, "Official website of the United States government",
     "Sitio web oficial del Gobierno de Estados Unidos"},
    {Ui::BannerOfficial, "An official website of the United States government",
     "Un sitio oficial del Gobierno de Estados Unidos"},
    {Ui::BannerHowYouKnow, "Here’s how you know", "Así es como usted puede verificarlo"},
    {Ui::BannerDotGovTitle, "Official websites use .gov", "Los sitios web oficiales usan .gov"},
    {Ui::BannerDotGov, "A .gov website belongs to an official government organization in the United States.",
     "Un sitio web .gov pertenece a una organización oficial del Gobierno de Estados Unidos."},
    {Ui::BannerHttpsTitle, "Secure .gov websites use HTTPS", "Los sitios web seguros .gov usan HTTPS"},
    {Ui::BannerHttps,
     "A lock or https:// means you’ve safely connected to the .gov website. Share sensitive information "
     "only on official, secure websites.",
     "Un candado o https:// significa que usted se conectó de forma segura a un sitio web .gov. Comparta "
     "información sensible sólo en sitios web oficiales y seguros."},
    {Ui::ServiceNameDefault, "Government forms", "Formularios del gobierno"},
    {Ui::FooterLinks, "Important links", "Enlaces importantes"},
    {Ui::FooterAbout, "About this service", "Acerca de este servicio"},
    {Ui::FooterAccessibility, "Accessibility statement", "Declaración de accesibilidad"},
    {Ui::FooterPrivacy, "Privacy policy", "Política de privacidad"},
    {Ui::LanguageCurrent, "%1 (this page)", "%1 (esta página)"},
    {Ui::StartWhoCanUse, "Who can use this form", "Quién puede usar este formulario"},
    {Ui::StartYouNeed, "What you will need", "Lo que necesitará"},
    {Ui::StartHowLong, "How long it takes", "Cuánto tiempo toma"},
    {Ui::StartAfter, "What happens after you apply", "Qué sucede después de presentar su solicitud"},
    {Ui::StartOtherWays, "Other ways to apply", "Otras formas de presentar su solicitud"},
    {Ui::StartByPhone, "By phone", "Por teléfono"},
    {Ui::StartInPerson, "In person", "En persona"},
    {Ui::StartByMail, "By mail", "Por correo"},
    {Ui::StartNow, "Start now", "Comenzar ahora"},
    {Ui::StartPaper, "Paper form to print and mail (PDF)", "Formulario en papel para imprimir y enviar por correo (PDF)"},
    {Ui::TimeInZone, "%1, %2 %3", "%1, %2 %3"},
    {Ui::MailReceiptSubject, "Application received: %1", "Solicitud recibida: %1"},
    {Ui::MailReceiptLink,
     "To see where your application stands, open this link. It works once, within %1 days:",
     "Para ver en qué punto está su solicitud, abra este enlace. Funciona una vez, dentro de %1 días:"},
    {Ui::MailNoAnswers, "For your privacy, this email does not include your answers.",
     "Para proteger su privacidad, este correo no incluye sus respuestas."},
    {Ui::MailAutomatic, "This message was sent automatically. Replies are not read.",
     "Este mensaje se envió automáticamente. Las respuestas no se leen."},
    {Ui::MailLinkSubject, "A new link to your receipt", "Un nuevo enlace a su recibo"},
    {Ui::MailLinkIntro, "You asked for a new link to the receipt of application %1.",
     "Usted pidió un nuevo enlace al recibo de la solicitud %1."},
    {Ui::StatusTitle, "Where your application stands", "En qué punto está su solicitud"},
    {Ui::StatusNoAnswers, "To protect your information, this page does not show your answers.",
     "Para proteger su información, esta página no muestra sus respuestas."},
    {Ui::LinkExpiredTitle, "This link has expired or was already used",
     "Este enlace venció o ya se usó"},
    {Ui::LinkExpiredHow,
     "Each link in our emails opens your receipt once, for a few days. To get a new link, enter your "
     "reference number and the email address you gave on the form.",
     "Cada enlace de nuestros correos abre su recibo una vez, durante unos días. Para recibir un enlace "
     "nuevo, escriba su número de referencia y el correo electrónico que dio en el formulario."},
    {Ui::LostLinkTitle, "Lost your receipt link?", "¿Perdió el enlace a su recibo?"},
    {Ui::LostLinkIntro,
     "Enter your reference number and the email address you gave on the form. If they match, we send a "
     "new link to that address.",
     "Escriba su número de referencia y el correo electrónico que dio en el formulario. Si coinciden, "
     "enviamos un enlace nuevo a ese correo."},
    {Ui::EmailAddress, "Email address", "Correo electrónico"},
    {Ui::LostLinkSend, "Send me a new link", "Enviarme un enlace nuevo"},
    {Ui::LostLinkSent,
     "If the reference number and the email address match an application, we have sent a new link to that "
     "address. It can take a few minutes to arrive.",
     "Si el número de referencia y el correo electrónico coinciden con una solicitud, enviamos un enlace "
     "nuevo a ese correo. Puede tardar unos minutos en llegar."},
    {Ui::LostLinkInvalid, "Enter a reference number like 7Q2K-9M3X-4TC and an email address.",
     "Escriba un número de referencia como 7Q2K-9M3X-4TC y un correo electrónico."},
    {Ui::SaveForLater, "Save and come back later", "Guardar y continuar más tarde"},
    {Ui::SavedTitle, "Your answers are saved", "Sus respuestas están guardadas"},
    {Ui::SavedUntil, "We keep them until %1: %2 days after your last change.",
     "Las guardamos hasta el %1: %2 días después de su último cambio."},
    {Ui::ResumeCodeIs, "Your resume code", "Su código para continuar"},
    {Ui::ResumeCodeWrite,
     "Write it down or print this page. You need it to come back to your answers from another browser or after "
     "you close this one. Keep it to yourself.",
     "Anótelo o imprima esta página. Lo necesita para volver a sus respuestas desde otro navegador o después de "
     "cerrar este. No lo comparta."},
    {Ui::ResumeAlsoAsk, "When you come back, we will also ask for:", "Cuando vuelva, también le pediremos:"},
    {Ui::SavedMailSent,
     "We also sent a link to come back to the email address you gave. It works once, within %1 days.",
     "También enviamos un enlace para volver al correo electrónico que nos dio. Funciona una vez, dentro de %1 días."},
    {Ui::ResumeHow, "To come back, go to this address and enter the code:",
     "Para volver, vaya a esta dirección y escriba el código:"},
    {Ui::ContinueNow, "Continue with your answers now", "Seguir con sus respuestas ahora"},
    {Ui::ResumeTitle, "Come back to your saved answers", "Volver a sus respuestas guardadas"},
    {Ui::ResumeIntro, "Enter the resume code you got when you saved your answers.",
     "Escriba el código para continuar que recibió cuando guardó sus respuestas."},
    {Ui::ResumeCodeLabel, "Resume code", "Código para continuar"},
    {Ui::ResumeCodeHint, "13 letters and numbers. Dashes and spaces do not matter.",
     "13 letras y números. Los guiones y espacios no importan."},
    {Ui::ResumeCodeInvalid, "Enter the resume code as you wrote it down: 13 letters and numbers.",
     "Escriba el código para continuar tal como lo anotó: 13 letras y números."},
    {Ui::ResumeCodeUnknown,
     "We could not find saved answers with that code. Check that you wrote it down right. Saved answers are "
     "deleted %1 days after their last change, and once they are sent.",
     "No encontramos respuestas guardadas con ese código. Revise que lo anotó bien. Las respuestas guardadas "
     "se borran %1 días después de su último cambio, y cuando se envían."},
    {Ui::ResumeCheckTitle, "Answer a question only you know", "Responda lo que solo usted sabe"},
    {Ui::ResumeCheckIntro, "To protect your answers, answer as you did on the form.",
     "Para proteger sus respuestas, responda como lo hizo en el formulario."},
    {Ui::LastFourOf, "%1: the last 4 digits", "%1: los últimos 4 dígitos"},
    {Ui::ResumeWrong, "These answers do not match the ones you gave. Check them and try again.",
     "Estas respuestas no coinciden con las que dio. Revíselas e intente de nuevo."},
    {Ui::ResumeLocked, "Too many tries. For your security, wait an hour, then try again.",
     "Demasiados intentos. Por su seguridad, espere una hora y vuelva a intentarlo."},
    {Ui::ResumeMailSubject, "Come back to your application: %1", "Vuelva a su solicitud: %1"},
    {Ui::ResumeMailLink, "To continue where you stopped, open this link. It works once, within %1 days:",
     "Para seguir donde se quedó, abra este enlace. Funciona una vez, dentro de %1 días:"},
    {Ui::ResumeMailAsk, "Before we show your answers, we will ask you something only you know.",
     "Antes de mostrarle sus respuestas, le preguntaremos algo que solo usted sabe."},
    {Ui::ReuseOffer, "Start another form with these answers", "Comenzar otro formulario con estas respuestas"},
    {Ui::ReuseIntro,
     "These forms ask some of the same questions. We fill in the answers you gave, and you can change them "
     "before you send anything.",
     "Estos formularios hacen algunas de las mismas preguntas. Llenamos las respuestas que dio, y puede "
     "cambiarlas antes de enviar nada."},
    {Ui::ReuseNone, "No other form asks the same questions as this one.",
     "Ningún otro formulario hace las mismas preguntas que este."},
    {Ui::ReuseCarries, "We fill in: %1", "Llenamos: %1"},
    {Ui::ReuseStart, "Start: %1", "Comenzar: %1"},
    {Ui::ReusedTag, "From your earlier application", "De su solicitud anterior"},
    {Ui::ReusedKept,
     "We have the number ending %1 from your earlier application. Leave this box empty to keep it, or enter "
     "another number.",
     "Tenemos el número que termina en %1 de su solicitud anterior. Deje esta casilla vacía para conservarlo, "
     "o escriba otro número."},
    {Ui::SeeAnswers, "See or print your answers", "Ver o imprimir sus respuestas"},
    // Small promises of issue 11 (the "fixes" branch): the receipt page's word on its mail
    {Ui::ReceiptMailSent, "We have sent a confirmation email to the address you gave, with your reference number.",
     "Le enviamos un correo electrónico de confirmación a la dirección que nos dio, con su número de referencia."},
    // A receipt link that does not work, on a deployment with no mail relay.
    {Ui::LinkExpiredNoMail,
     "To see your receipt again, open the address of the receipt page you saw when you sent the application.",
     "Para ver su recibo otra vez, abra la dirección de la página del recibo que vio al enviar la solicitud."},
    // Staff sign-in, set-up, home and audit log (issue 12, "staff" branch: server/http/staff_*.cpp).
    {Ui::StaffSignInTitle, "Staff sign-in",
     "Acceso del personal"},
    {Ui::StaffName, "Name",
     "Nombre de usuario"},
    {Ui::StaffPassword, "Password",
     "Contraseña"},
    {Ui::StaffSignIn, "Sign in",
     "Iniciar sesión"},
    {Ui::StaffNeedBoth, "Enter your name and your password.",
     "Escriba su nombre de usuario y su contraseña."},
    {Ui::StaffRefused, "The name or password is not right. Check them and try again.",
     "El nombre de usuario o la contraseña no son correctos. Revíselos e intente de nuevo."},
    {Ui::StaffLocked, "Too many tries. For your security, wait a few minutes, then try again.",
     "Demasiados intentos. Por su seguridad, espere unos minutos y vuelva a intentarlo."},
    {Ui::StaffCodeTitle, "Enter your code",
     "Escriba su código"},
    {Ui::StaffCodeIntro, "Open your authenticator app and enter the 6-digit code it shows for %1. Lost your phone? Enter one of your recovery codes instead.",
     "Abra su aplicación de autenticación y escriba el código de 6 dígitos que muestra para %1. ¿Perdió su teléfono? Escriba uno de sus códigos de recuperación."},
    {Ui::StaffCodeLabel, "Code",
     "Código"},
    {Ui::StaffCodeHint, "6 digits, or a recovery code like abcde-fghij",
     "6 dígitos, o un código de recuperación como abcde-fghij"},
    {Ui::StaffCodeRefused, "That code is not right, or was already used. Enter the code your app shows now, or a recovery code.",
     "Ese código no es correcto o ya se usó. Escriba el código que muestra su aplicación ahora, o un código de recuperación."},
    {Ui::StaffContinue, "Continue",
     "Continuar"},
    {Ui::StaffSetUpTitle, "Set up your account",
     "Configure su cuenta"},
    {Ui::StaffSetUpIntro, "Choose your own password, then add this account to an authenticator app on your phone.",
     "Elija su propia contraseña y luego agregue esta cuenta a una aplicación de autenticación en su teléfono."},
    {Ui::StaffNewPassword, "New password",
     "Contraseña nueva"},
    {Ui::StaffNewPasswordHint, "At least 12 characters. A few unrelated words make a good one.",
     "Al menos 12 caracteres. Unas palabras sin relación entre sí son una buena contraseña."},
    {Ui::StaffConfirmPassword, "Type the new password again",
     "Escriba otra vez la contraseña nueva"},
    {Ui::StaffScanTitle, "Add the account to your authenticator app",
     "Agregue la cuenta a su aplicación de autenticación"},
    {Ui::StaffScanIntro, "Scan this QR code with the app, or type the key below into it.",
     "Escanee este código QR con la aplicación, o escriba en ella la clave de abajo."},
    {Ui::StaffQrLabel, "QR code of your account for the authenticator app",
     "Código QR de su cuenta para la aplicación de autenticación"},
    {Ui::StaffSecretLabel, "Key to type in",
     "Clave para escribir"},
    {Ui::StaffConfirmCode, "Code the app shows now",
     "Código que muestra la aplicación ahora"},
    {Ui::StaffSetUpButton, "Finish set-up",
     "Terminar la configuración"},
    {Ui::StaffPasswordTooShort, "Your new password must have at least 12 characters.",
     "Su contraseña nueva debe tener al menos 12 caracteres."},
    {Ui::StaffPasswordTooLong, "Your new password must have at most 256 characters.",
     "Su contraseña nueva debe tener como máximo 256 caracteres."},
    {Ui::StaffPasswordIsName, "Your new password cannot be your name.",
     "Su contraseña nueva no puede ser su nombre de usuario."},
    {Ui::StaffPasswordsDiffer, "The two passwords are not the same. Type them again.",
     "Las dos contraseñas no son iguales. Escríbalas otra vez."},
    {Ui::StaffSetUpCodeWrong, "That code is not right. Check that the app shows this account, and enter the code it shows now.",
     "Ese código no es correcto. Revise que la aplicación muestre esta cuenta y escriba el código que muestra ahora."},
    {Ui::StaffRetypePasswords, "For your security, passwords are never shown again: type your new password in both boxes again.",
     "Por su seguridad, las contraseñas nunca se muestran otra vez: escriba su contraseña nueva otra vez en ambas casillas."},
    {Ui::StaffRecoveryTitle, "Your recovery codes",
     "Sus códigos de recuperación"},
    {Ui::StaffRecoveryIntro, "If you lose your phone, each of these codes signs you in once instead of the app. Write them down or print this page, and keep them safe: they will not be shown again.",
     "Si pierde su teléfono, cada uno de estos códigos le permite entrar una vez en lugar de la aplicación. Anótelos o imprima esta página y guárdelos en un lugar seguro: no se mostrarán otra vez."},
    {Ui::StaffGoHome, "Go to staff home",
     "Ir al inicio del personal"},
    {Ui::StaffHomeTitle, "Staff home",
     "Inicio del personal"},
    {Ui::StaffSignedInAs, "You are signed in as %1.",
     "Ha iniciado sesión como %1."},
    {Ui::StaffRoleIs, "Your role: %1.",
     "Su función: %1."},
    {Ui::StaffRoleAgent, "agent",
     "agente"},
    {Ui::StaffRoleSupervisor, "supervisor",
     "supervisor"},
    {Ui::StaffNothingToKey, "Keying applications taken by phone, in person or by mail is not available here yet.",
     "Todavía no se pueden ingresar aquí solicitudes recibidas por teléfono, en persona o por correo."},
    {Ui::StaffRecoveryLeft, "Recovery codes left: %1.",
     "Códigos de recuperación que le quedan: %1."},
    {Ui::StaffSignOut, "Sign out",
     "Cerrar sesión"},
    {Ui::StaffSignedOut, "You are signed out.",
     "Cerró la sesión."},
    {Ui::StaffSessionEnded, "Your session has ended. Sign in again.",
     "Su sesión terminó. Inicie sesión otra vez."},
    {Ui::StaffAuditTitle, "Audit log",
     "Registro de auditoría"},
    {Ui::StaffAuditIntro, "What staff did, newest first. No answer of any application is recorded here.",
     "Lo que hizo el personal, lo más reciente primero. Aquí no se registra ninguna respuesta de ninguna solicitud."},
    {Ui::StaffAuditNumber, "Entry",
     "Entrada"},
    {Ui::StaffAuditWhen, "When (UTC)",
     "Cuándo (UTC)"},
    {Ui::StaffAuditWho, "Staff member",
     "Miembro del personal"},
    {Ui::StaffAuditWhat, "Action",
     "Acción"},
    {Ui::StaffAuditChannel, "Channel",
     "Canal"},
    {Ui::StaffAuditReference, "Reference",
     "Referencia"},
    {Ui::StaffAuditDetail, "Detail",
     "Detalle"},
    {Ui::StaffAuditUnknown, "unknown name",
     "nombre desconocido"},
    {Ui::StaffAuditOlder, "Older entries",
     "Entradas anteriores"},
    {Ui::StaffAuditEmpty, "No entries yet.",
     "Todavía no hay entradas."},
    {Ui::StaffForbiddenTitle, "Not available for your role",
     "No disponible para su función"},
    {Ui::StaffForbidden, "Only supervisors can read the audit log.",
     "Solo los supervisores pueden leer el registro de auditoría."},
    {Ui::StaffPostRefused, "This page only accepts what was sent from its own form. Go back, reload it and try again.",
     "Esta página solo acepta lo que se envió desde su propio formulario. Regrese, vuelva a cargarla e intente de nuevo."},
    // The phone script: the agent's voice (wording.hpp FieldWords' agent fields, ScriptWords).
    {Ui::ScriptHeading, "Phone script", "Guion para llamadas"},
    {Ui::ScriptForCitizens,
     "This is the script a phone agent follows to fill in this form with you. It lists every question in "
     "order, what each one needs and when to skip it, so you can also use it to get your answers ready "
     "before you call, apply online or fill in the paper form.",
     "Este es el guion que sigue un agente por teléfono para llenar este formulario con usted. Presenta "
     "cada pregunta en orden, lo que necesita cada una y cuándo se omite, así que también puede usarlo para "
     "preparar sus respuestas antes de llamar, presentar la solicitud en línea o llenar el formulario en papel."},
    {Ui::ScriptOpening, "Opening the call", "Al comenzar la llamada"},
    {Ui::ScriptGreeting,
     "Read: My name is (say your name). I will help you fill in the form “%1” by phone. I will ask you each "
     "question, then read your answers back to you before I send them.",
     "Lea: Me llamo (diga su nombre). Le ayudaré a llenar por teléfono el formulario “%1”. Le haré cada "
     "pregunta y le leeré sus respuestas antes de enviarlas."},
    {Ui::ScriptRead, "Read: %1", "Lea: %1"},
    {Ui::ScriptHowLong, "Read: How long it takes: %1.", "Lea: Cuánto tiempo toma: %1."},
    {Ui::ScriptNeeds, "Read: What you will need: %1.", "Lea: Lo que necesitará: %1."},
    {Ui::ScriptPrivacyHeading, "Privacy notice", "Aviso de privacidad"},
    {Ui::ScriptPrivacy,
     "Read: Before we start: your answers are used for this application only, and each agency gets only the "
     "answers it needs. You do not have to answer a question that is not required. I will not ask for "
     "anything this form does not ask.",
     "Lea: Antes de comenzar: sus respuestas se usan solo para esta solicitud, y cada agencia recibe solo las "
     "respuestas que necesita. No tiene que responder las preguntas que no son obligatorias. No le pediré "
     "nada que este formulario no pida."},
    {Ui::ScriptAsk, "Ask: %1", "Pregunte: %1"},
    {Ui::ScriptAskFor, "Ask for: %1.", "Pida: %1."},
    {Ui::ScriptHelp, "If it helps, read: %1", "Si ayuda, lea: %1"},
    {Ui::ScriptConfirm, "Ask: Do you confirm this statement? Record yes or no.",
     "Pregunte: ¿Confirma esta declaración? Anote sí o no."},
    {Ui::ScriptChoices, "Read the choices, then record one:", "Lea las opciones y anote una:"},
    {Ui::ScriptChoicesAll, "Read the choices, then record each one that applies:",
     "Lea las opciones y anote cada una que corresponda:"},
    {Ui::ScriptChoicesLong, "Do not read all %1 choices: ask, then find the answer in this list:",
     "No lea las %1 opciones: pregunte y busque la respuesta en esta lista:"},
    {Ui::ScriptSkip, "If %1, skip to %2.", "Si %1, pase a %2."},
    {Ui::CallerSaid, "the caller said %2 to %1", "la persona respondió %2 a %1"},
    {Ui::CallerNotSaid, "the caller did not say %2 to %1", "la persona no respondió %2 a %1"},
    {Ui::CallerChose, "the caller chose %2 in %1", "la persona eligió %2 en %1"},
    {Ui::CallerNotChose, "the caller did not choose %2 in %1", "la persona no eligió %2 en %1"},
    {Ui::CallerGave, "the caller answered %1", "la persona respondió %1"},
    {Ui::CallerBlank, "the caller did not answer %1", "la persona no respondió %1"},
    {Ui::CallerSubject, "the caller's answer to %1", "la respuesta de la persona a %1"},
    {Ui::ScriptComputed, "Do not ask: it is worked out from the other answers.",
     "No pregunte: se calcula a partir de las otras respuestas."},
    {Ui::ScriptSensitive, "Private: when you read it back, say only its last 4 characters.",
     "Privado: al leerlo en voz alta, diga solo sus últimos 4 caracteres."},
    {Ui::ScriptReadBackHeading, "Reading back the answers", "Lectura de las respuestas"},
    {Ui::ScriptReadBack,
     "Read: Before I send your application, I will read your answers back to you. Tell me if anything is "
     "wrong, and I will correct it.",
     "Lea: Antes de enviar su solicitud, le leeré sus respuestas. Dígame si algo no está bien y lo corregiré."},
    {Ui::ScriptReadBackEach, "Read each question that was asked, with the caller's answer:",
     "Lea cada pregunta que se hizo, con la respuesta de la persona:"},
    {Ui::ScriptIfAsked, "%1 (if asked)", "%1 (si se preguntó)"},
    {Ui::ScriptEachEntry, "%1 (for each: %2)", "%1 (por cada uno: %2)"},
    {Ui::ScriptLastFour, "%1 (last 4 characters only)", "%1 (solo los últimos 4 caracteres)"},
    {Ui::ScriptClosingHeading, "Sending the application", "Envío de la solicitud"},
    {Ui::ScriptSubmit,
     "Send the application, then read: Your reference number is (read it one character at a time). Keep it: "
     "you need it to ask about your application.",
     "Envíe la solicitud y luego lea: Su número de referencia es (léalo un carácter a la vez). Guárdelo: lo "
     "necesita para preguntar por su solicitud."},
    {Ui::ScriptRecordText, "Record the answer.", "Anote la respuesta."},
    {Ui::ScriptRecordLongText, "Record the answer in the caller's own words.",
     "Anote la respuesta con las palabras de la persona."},
    {Ui::ScriptRecordInteger, "Record a whole number.", "Anote un número entero."},
    {Ui::ScriptRecordDecimal, "Record the number.", "Anote el número."},
    {Ui::ScriptRecordMoney, "Record the amount in dollars and cents.", "Anote la cantidad en dólares y centavos."},
    {Ui::ScriptRecordDate, "Record the month, day and year.", "Anote el mes, el día y el año."},
    {Ui::ScriptRecordYesNo, "Record yes or no.", "Anote sí o no."},
    {Ui::ScriptRecordEmail, "Ask the caller to spell the address, one character at a time.",
     "Pida a la persona que deletree la dirección, un carácter a la vez."},
    {Ui::ScriptRecordPhone, "Record the number with its area code.", "Anote el número con su código de área."},
    {Ui::ScriptRecordSsn, "Record the 9 digits, then say them back.", "Anote los 9 dígitos y repítalos."},
    {Ui::ScriptRecordEin, "Record the 9 digits, then say them back.", "Anote los 9 dígitos y repítalos."},
    {Ui::ScriptRecordZip, "Record the 5-digit ZIP code, or all 9 digits.",
     "Anote el código postal de 5 dígitos, o los 9 dígitos."},
    {Ui::ScriptRecordUrl, "Ask the caller to spell the address, one character at a time.",
     "Pida a la persona que deletree la dirección, un carácter a la vez."},
    {Ui::ScriptRecordAddress, "Record the street, city, state and ZIP code.",
     "Anote la calle, la ciudad, el estado y el código postal."},
    {Ui::ScriptRecordName, "Record the first name, middle name, last name and suffix. Ask how to spell them.",
     "Anote el nombre, el segundo nombre, el apellido y el sufijo. Pregunte cómo se escriben."},
    // The paper form (issue 12, "The paper form")
    {Ui::PaperOmbNumber, "OMB Control No. %1", "Núm. de control de la OMB %1"},
    {Ui::PaperOmbExpires, "Expires %1", "Vence el %1"},
    {Ui::PaperBurdenShort, "Estimated burden: %1 minutes", "Tiempo estimado: %1 minutos"},
    {Ui::PaperWhereToSend, "Where to send this form", "Adónde enviar este formulario"},
    {Ui::PaperMailTo, "Mail the completed and signed form to:", "Envíe el formulario lleno y firmado por correo a:"},
    {Ui::PaperHelpPhone, "Questions? Call %1.", "¿Preguntas? Llame al %1."},
    {Ui::PaperHelpHours, "Hours: %1", "Horario: %1"},
    {Ui::PaperNotices, "Notices", "Avisos"},
    {Ui::PaperPrivacyAct, "Privacy Act notice", "Aviso de la Ley de Privacidad"},
    {Ui::PaperBurdenTitle, "Paperwork Reduction Act notice", "Aviso de la Ley de Reducción de Trámites"},
    {Ui::PaperBurdenStandard,
     "We estimate that this form takes %1 minutes on average to complete, including the time to read the "
     "instructions, gather the information it asks for, and fill it in. An agency may not conduct or sponsor, and "
     "you are not required to respond to, a collection of information unless it displays a valid OMB control number.",
     "Calculamos que llenar este formulario le toma %1 minutos en promedio, incluido el tiempo para leer las "
     "instrucciones, reunir la información que pide y llenarlo. Una agencia no puede realizar ni patrocinar una "
     "recopilación de información, y usted no está obligado a responderla, a menos que muestre un número de control "
     "de la OMB válido."},
    {Ui::PaperSignHere, "Sign and date the form: we cannot process it without your signature.",
     "Firme y feche el formulario: no podemos tramitarlo sin su firma."},
    {Ui::ContinuationPages, "Continuation pages", "Páginas de continuación"},
    {Ui::ContinuationOf, "Continuation of question %1: %2 %3 of %4", "Continuación de la pregunta %1: %2 %3 de %4"},
    {Ui::ContinuationLater, "Entries %1 to %2 are on the continuation pages at the end of this form.",
     "Las entradas %1 a %2 están en las páginas de continuación al final de este formulario."},
    // Staff sign-in hardening: the per-address limit on sign-in posts
    {Ui::StaffTooManyHere, "Too many sign-in attempts from your connection. Wait %1 seconds, then try again.",
     "Demasiados intentos de inicio de sesión desde su conexión. Espere %1 segundos y vuelva a intentarlo."},
};

constexpr bool in_order() {
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (static_cast<std::size_t>(table[i].key) != i) return false;
  }
  return std::size(table) == static_cast<std::size_t>(Ui::Count_);
}
static_assert(in_order(), "strings.cpp: one row per Ui key, in the enum's order");

}  // namespace

bool has_ui_language(std::string_view lang) { return lang == "en" || lang == "es"; }

std::string_view ui(Ui key, std::string_view lang) {
  const auto i = static_cast<std::size_t>(key);
  if (i >= std::size(table)) return {};
  return lang == "es" ? table[i].es : table[i].en;
}

std::string substitute(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '%' && i + 1 < pattern.size()) {
      const char d = pattern[i + 1];
      if (d == '%') {
        out += '%';
        ++i;
        continue;
      }
      if (d >= '1' && d <= '9') {
        const auto n = static_cast<std::size_t>(d - '1');
        if (n < args.size()) out += *(args.begin() + n);
        ++i;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::string ui(Ui key, std::string_view lang, std::initializer_list<std::string_view> args) {
  return substitute(ui(key, lang), args);
}

}  // namespace askonce::renderers
