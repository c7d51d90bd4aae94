//! The "Python version" selector.

use yew::prelude::*;

use crate::model::Version;

/// Props of [`VersionSelect`].
#[derive(Properties, PartialEq)]
pub struct VersionSelectProps {
    /// The selected version.
    pub version: Version,
    /// A version was picked.
    pub onchange: Callback<Version>,
}

/// A labelled `<select>` over [`Version::ALL`].
#[component]
pub fn VersionSelect(props: &VersionSelectProps) -> Html {
    let onchange = {
        let cb = props.onchange.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = select.value().parse::<Version>() {
                cb.emit(v);
            }
        })
    };
    html! {
        <div class="version">
            <label for="version">{ "Python version" }</label>
            <select id="version" {onchange}>
                { for Version::ALL.iter().map(|v| html! {
                    <option value={v.as_str()} selected={*v == props.version}>{ v.label() }</option>
                }) }
            </select>
        </div>
    }
}
