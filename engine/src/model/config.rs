//! The `[model]` section: whether the learned model runs beside the rules, which file, and
//! thresholds that replace its calibrated ones.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Model, ModelError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelConfig {
    /// Run the model beside the rules (the rules alone when false).
    pub enabled: bool,
    /// A model written by `baton train`; the model shipped in the binary when absent.
    pub file: Option<PathBuf>,
    /// Per label (`explicit_request` or a topic id), a threshold in (0, 1) that replaces the
    /// model's calibrated one: lower finds more, higher is more precise.
    pub thresholds: BTreeMap<String, f32>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig { enabled: true, file: None, thresholds: BTreeMap::new() }
    }
}

impl ModelConfig {
    /// Thresholds in (0, 1) and naming labels of the model; the model file readable and
    /// sound (a corrupt or incompatible file is an error here, at start-up).
    pub fn validate(&self) -> Result<(), String> {
        for (label, t) in &self.thresholds {
            if !(*t > 0.0 && *t < 1.0) {
                return Err(format!("thresholds.{label}: must be in (0, 1)"));
            }
        }
        let Some(model) = self.load().map_err(|e| e.to_string())? else { return Ok(()) };
        match self.thresholds.keys().find(|l| model.label(l).is_none()) {
            Some(label) => Err(format!(
                "thresholds.{label}: the model has no such label (it has {})",
                model.labels().join(", ")
            )),
            None => Ok(()),
        }
    }

    /// The model to run, if any: the file's (read and checked now), or the embedded one.
    pub fn load(&self) -> Result<Option<Arc<Model>>, ModelError> {
        if !self.enabled {
            return Ok(None);
        }
        Ok(Some(match &self.file {
            Some(path) => Arc::new(Model::load(path)?),
            None => Model::embedded(),
        }))
    }
}
