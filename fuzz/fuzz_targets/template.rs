//! Template loader: arbitrary text as `form.toml`. A template that loads must lay out a project.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(template) = jixiao_layout::Template::from_toml(text)
    {
        let project = jixiao_model::Project::default();
        let _ = jixiao_layout::project(&project, &template);
    }
});
