//! The keyboard help: a modal dialog listing every shortcut. It takes the
//! focus when it opens, and Escape or its button closes it.

use yew::prelude::*;

/// Props of [`Help`].
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// (keys, what they do).
    pub shortcuts: Vec<(&'static str, &'static str)>,
    /// Close the dialog.
    pub onclose: Callback<()>,
}

/// The help dialog.
#[component]
pub fn Help(props: &HelpProps) -> Html {
    let close = use_node_ref();
    {
        let close = close.clone();
        use_effect_with((), move |_| {
            if let Some(b) = close.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    let onclose = props.onclose.reform(|_: MouseEvent| ());
    let onbackdrop = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <div class="modal-backdrop" onclick={onbackdrop}>
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="help-title"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <table class="shortcuts">
                    <tbody>
                        { for props.shortcuts.iter().map(|(k, what)| html! {
                            <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                        }) }
                    </tbody>
                </table>
                <p class="muted">{ "In the editor every key types; press Tab to leave it. On the focused object graph the arrow keys move the selection; on the focused allocator map they move the pool cursor." }</p>
                <button type="button" ref={close} onclick={onclose}>{ "Close" }</button>
            </div>
        </div>
    }
}
