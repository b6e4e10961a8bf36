//! The app root: routes, session restore, page frame, role guard.
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::feedback::Loading;
use crate::components::layout::{Footer, Header, SkipLinks};
use crate::logic::access::{self, Area};
use crate::pages;
use crate::platform;
use crate::services;
use crate::services::auth::Session;
use crate::session::{use_auth, Auth, AuthAction, AuthContext};

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/connexion")]
    Login,
    #[at("/mot-de-passe")]
    ChangePassword,
    #[at("/mot-de-passe/oublie")]
    ForgotPassword,
    #[at("/mot-de-passe/nouveau")]
    ResetPassword,
    #[at("/invitation")]
    Invitation,
    #[at("/mes-notifications")]
    Notifications,
    #[at("/signalements")]
    Referrals,
    #[at("/signalements/nouveau")]
    NewReferral,
    #[at("/file-attente")]
    Queue,
    #[at("/dossiers/:id")]
    Referral { id: String },
    #[at("/relais")]
    Relays,
    #[at("/relais/:id")]
    Relay { id: String },
    #[at("/pilotage")]
    Steering,
    #[at("/admin/structures")]
    Structures,
    #[at("/admin/structures/nouvelle")]
    NewStructure,
    #[at("/admin/structures/:id")]
    Structure { id: String },
    #[at("/admin/comptes")]
    Users,
    #[at("/admin/comptes/nouveau")]
    NewUser,
    #[at("/admin/comptes/:id")]
    User { id: String },
    #[at("/admin/taches")]
    Jobs,
    #[at("/admin/imports")]
    Imports,
    #[at("/admin/webhooks")]
    Webhooks,
    #[at("/admin/donnees")]
    DataRequests,
    #[at("/admin/retention")]
    Retention,
    #[at("/annuaire")]
    Directory,
    #[at("/mes-services")]
    MyServices,
    #[at("/mes-services/nouveau")]
    NewService,
    #[at("/mes-services/:id")]
    Service { id: String },
    #[at("/accessibilite")]
    Accessibility,
    #[at("/donnees-personnelles")]
    Privacy,
    #[not_found]
    #[at("/introuvable")]
    NotFound,
}

impl Route {
    /// The area a route belongs to (`None`: open to everyone).
    fn area(&self) -> Option<Area> {
        match self {
            Route::Referrals | Route::NewReferral => Some(Area::Referrals),
            Route::Queue => Some(Area::Queue),
            Route::Referral { .. } => Some(Area::Referral),
            Route::Relays | Route::Relay { .. } => Some(Area::Relays),
            Route::MyServices | Route::NewService | Route::Service { .. } => Some(Area::Services),
            Route::Steering => Some(Area::Steering),
            Route::Structures
            | Route::NewStructure
            | Route::Structure { .. }
            | Route::Users
            | Route::NewUser
            | Route::User { .. }
            | Route::Jobs
            | Route::Imports
            | Route::Webhooks
            | Route::DataRequests
            | Route::Retention => Some(Area::Admin),
            Route::Notifications => Some(Area::Account),
            Route::Home
            | Route::Login
            | Route::ChangePassword
            | Route::ForgotPassword
            | Route::ResetPassword
            | Route::Invitation
            | Route::Directory
            | Route::Accessibility
            | Route::Privacy
            | Route::NotFound => None,
        }
    }

    pub fn home_of(role: api_types::Role) -> Route {
        Route::recognize(access::home_path(role)).unwrap_or(Route::Home)
    }
}

thread_local! {
    /// Where to go back after logging in (the page that asked for a session).
    static NEXT: std::cell::RefCell<Option<Route>> = const { std::cell::RefCell::new(None) };
}

pub fn take_next() -> Option<Route> {
    NEXT.with(|n| n.borrow_mut().take())
}

#[function_component(App)]
pub fn app() -> Html {
    let auth = use_reducer(|| Auth::Checking);

    // Renew the session from the refresh cookie once, at start; the token stays in memory.
    use_effect_with((), {
        let auth = auth.clone();
        move |_| {
            let expired = auth.clone();
            services::on_session_expired(Callback::from(move |_| {
                expired.dispatch(AuthAction::SignedOut(Some(
                    "Votre session a expiré. Reconnectez-vous pour continuer.".into(),
                )));
            }));
            yew::platform::spawn_local(async move {
                match services::auth::restore().await {
                    Some(Session::SignedIn(me)) => auth.dispatch(AuthAction::SignedIn(me)),
                    Some(Session::PasswordChangeRequired) => {
                        auth.dispatch(AuthAction::PasswordChangeRequired)
                    }
                    // No session is the ordinary state of a first visit: no notice.
                    None => auth.dispatch(AuthAction::SignedOut(None)),
                }
            });
        }
    });

    html! {
        <ContextProvider<AuthContext> context={auth}>
            <BrowserRouter>
                <Shell />
            </BrowserRouter>
        </ContextProvider<AuthContext>>
    }
}

#[function_component(Shell)]
fn shell() -> Html {
    let route = use_route::<Route>().unwrap_or(Route::NotFound);
    let first = use_mut_ref(|| true);

    // Move the focus to the page heading on navigation, so screen readers announce the new page.
    use_effect_with(route.clone(), move |_| {
        if *first.borrow() {
            *first.borrow_mut() = false;
            if let Some(ms) = platform::since_start_ms() {
                mark_first_render(ms);
            }
        } else {
            platform::focus_page_heading("titre-page");
        }
    });

    html! {
        <>
            <SkipLinks />
            <Header />
            <main role="main" id="contenu" tabindex="-1" class="sas-main">
                <div class="fr-container fr-py-5w">
                    <Guarded route={route} />
                </div>
            </main>
            <Footer />
        </>
    }
}

/// Records the time of the first render for the performance measurement
/// (`docs/frontend-performance.md`), on the document element.
fn mark_first_render(ms: f64) {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("data-first-render-ms", &(ms.round() as i64).to_string());
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ms;
    }
}

#[derive(Properties, PartialEq)]
struct GuardedProps {
    route: Route,
}

/// Shows the page if the active role may see it; the login page when signed out;
/// a "no access" page otherwise.
#[function_component(Guarded)]
fn guarded(p: &GuardedProps) -> Html {
    let auth = use_auth();
    let route = p.route.clone();
    match &*auth {
        Auth::Checking => html! { <Loading text="Ouverture de votre session…" /> },
        Auth::PasswordChangeRequired => match route {
            Route::ChangePassword | Route::Accessibility | Route::Privacy => render(route),
            _ => html! { <Redirect<Route> to={Route::ChangePassword} /> },
        },
        Auth::Anonymous { .. } => {
            if route == Route::ChangePassword {
                html! { <Redirect<Route> to={Route::Login} /> }
            } else if route.area().is_some() {
                NEXT.with(|n| *n.borrow_mut() = Some(route.clone()));
                html! { <Redirect<Route> to={Route::Login} /> }
            } else if route == Route::Home {
                html! { <Redirect<Route> to={Route::Login} /> }
            } else {
                render(route)
            }
        }
        Auth::SignedIn { role, .. } => {
            if matches!(route, Route::Home | Route::Login | Route::ChangePassword) {
                let to = take_next()
                    .filter(|r| r.area().is_some_and(|a| access::allowed(*role, a)))
                    .unwrap_or_else(|| Route::home_of(*role));
                html! { <Redirect<Route> {to} /> }
            } else if route.area().is_some_and(|a| !access::allowed(*role, a)) {
                html! { <pages::Forbidden /> }
            } else {
                render(route)
            }
        }
    }
}

fn render(route: Route) -> Html {
    match route {
        Route::Home | Route::Login => html! { <pages::auth::login::Login /> },
        Route::ChangePassword => html! { <pages::auth::password::ChangePassword /> },
        Route::ForgotPassword => html! { <pages::auth::link::ForgotPassword /> },
        Route::ResetPassword => html! { <pages::auth::link::SetPassword invitation=false /> },
        Route::Invitation => html! { <pages::auth::link::SetPassword invitation=true /> },
        Route::Notifications => html! { <pages::me::notifications::MyNotifications /> },
        Route::Jobs => html! { <pages::admin::jobs::Jobs /> },
        Route::Imports => html! { <pages::admin::imports::Imports /> },
        Route::Webhooks => html! { <pages::admin::webhooks::Webhooks /> },
        Route::DataRequests => html! { <pages::admin::data_requests::DataRequests /> },
        Route::Retention => html! { <pages::admin::retention::Retention /> },
        Route::Referrals => html! { <pages::referrals::list::MyReferrals /> },
        Route::NewReferral => html! { <pages::referrals::new::NewReferral /> },
        Route::Queue => html! { <pages::referrals::queue::Queue /> },
        Route::Referral { id } => html! { <pages::referrals::detail::ReferralPage {id} /> },
        Route::Relays => html! { <pages::relays::inbox::Inbox /> },
        Route::Relay { id } => html! { <pages::relays::detail::RelayPage {id} /> },
        Route::Steering => html! { <pages::steering::dashboard::Dashboard /> },
        Route::Structures => html! { <pages::admin::structures::Structures /> },
        Route::NewStructure => {
            html! { <pages::admin::structure_edit::StructureEdit id={None::<String>} /> }
        }
        Route::Structure { id } => {
            html! { <pages::admin::structure_edit::StructureEdit id={Some(id)} /> }
        }
        Route::Users => html! { <pages::admin::users::Users /> },
        Route::NewUser => html! { <pages::admin::user_edit::UserEdit id={None::<String>} /> },
        Route::User { id } => html! { <pages::admin::user_edit::UserEdit id={Some(id)} /> },
        Route::Directory => html! { <pages::offer::directory::Directory /> },
        Route::MyServices => html! { <pages::offer::mine::MyServices /> },
        Route::NewService => {
            html! { <pages::offer::service_edit::ServiceEdit id={None::<String>} /> }
        }
        Route::Service { id } => {
            html! { <pages::offer::service_edit::ServiceEdit id={Some(id)} /> }
        }
        Route::Accessibility => html! { <pages::Accessibility /> },
        Route::Privacy => html! { <pages::Privacy /> },
        Route::NotFound => html! { <pages::NotFound /> },
    }
}
