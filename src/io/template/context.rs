//! The functions that need the template's state rather than only their arguments: resource IDs
//! in the deployment's scope, `resourceGroup()`, `subscription()`, `tenant()`, `deployment()`,
//! `environment()`, `reference()` and `resourceInfo()` to resources of the same template, the
//! lambda functions (`map`, `filter`, `reduce`, `sort`, `toObject`, `mapValues`, `groupBy`)
//! and user-defined functions.
//!
//! What only a real deployment knows is an unknown value, never a made-up one: `list*()`
//! (keys and secrets), `utcNow()`, `newGuid()`, `pickZones()`, `providers()`, and `reference()`
//! to anything outside the template.

use super::eval::{Engine, Frame, arity_error};
use super::functions;
use super::functions::ids::{self, IdKind, Place};
use super::limits::EvalError;
use super::parse::Expr;
use super::value::Val;
use std::rc::Rc;

impl Engine {
    /// Calls a function that needs the template's state; `None` when `lower` is not one.
    pub fn call_in_context(
        &mut self,
        frame: &mut Frame,
        lower: &str,
        name: &str,
        args: &[Expr],
    ) -> Option<Result<Val, EvalError>> {
        let result = match lower {
            "resourceid" => self.ids(frame, args, |values, place| {
                ids::resource_id(IdKind::ResourceGroup, "resourceId", values, place)
            }),
            "subscriptionresourceid" => self.ids(frame, args, |values, place| {
                ids::resource_id(
                    IdKind::Subscription,
                    "subscriptionResourceId",
                    values,
                    place,
                )
            }),
            "tenantresourceid" => self.ids(frame, args, |values, place| {
                ids::resource_id(IdKind::Tenant, "tenantResourceId", values, place)
            }),
            "extensionresourceid" => self.ids(frame, args, |values, _| ids::extension_id(values)),
            "resourcegroup" | "subscription" | "tenant" | "deployment" | "environment" => {
                if args.is_empty() {
                    self.scope_object(frame, lower)
                } else {
                    Err(arity_error(name, "no", args.len()))
                }
            }
            "reference" => self.reference(frame, args),
            "resourceinfo" => self.resource_info(frame, args),
            "utcnow" | "newguid" | "pickzones" | "providers" | "managementgroup" => {
                Ok(Val::unknown(format!(
                    "`{name}()` is known only when the template is deployed"
                )))
            }
            "lambda" => Err(functions::invalid(
                "lambda",
                "a lambda can only be an argument of map, filter, reduce, sort, toObject, mapValues or groupBy",
            )),
            "lambdavariables" => self.name_arg(frame, name, args).and_then(|var| {
                let key = var.to_lowercase();
                frame
                    .lambda
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| {
                        functions::invalid(name, format!("no lambda variable `{var}` is in scope"))
                    })
            }),
            "map" | "filter" | "reduce" | "sort" | "toobject" | "mapvalues" | "groupby" => {
                self.lambda_call(frame, lower, args)
            }
            _ if lower.starts_with("list") => Ok(Val::unknown(format!(
                "`{name}()` returns keys or settings known only to a deployment"
            ))),
            _ if lower.contains('.') => self.user_function(frame, lower, name, args),
            _ => return None,
        };
        Some(result)
    }

    pub fn eval_all(&mut self, frame: &mut Frame, args: &[Expr]) -> Result<Vec<Val>, EvalError> {
        args.iter().map(|arg| self.eval(frame, arg)).collect()
    }

    fn ids(
        &mut self,
        frame: &mut Frame,
        args: &[Expr],
        build: impl Fn(&[Val], &Place) -> Result<String, EvalError>,
    ) -> Result<Val, EvalError> {
        let values = self.eval_all(frame, args)?;
        if let Some(unknown) = values.iter().find(|v| matches!(v, Val::Unknown(_))) {
            return Ok(unknown.clone());
        }
        let place = Place {
            subscription: frame.scope.subscription.clone(),
            resource_group: frame.scope.resource_group.clone(),
        };
        functions::new_str(&mut self.budget, build(&values, &place)?)
    }

    fn scope_object(&mut self, frame: &Frame, which: &str) -> Result<Val, EvalError> {
        let scope = &frame.scope;
        let s = |text: &str| Val::str(text);
        let obj = |members: Vec<(&str, Val)>| {
            Val::object(members.into_iter().map(|(k, v)| (k.to_string(), v)))
        };
        let subscription_id = format!("/subscriptions/{}", scope.subscription);
        let value = match which {
            "resourcegroup" => obj(vec![
                (
                    "id",
                    Val::str(format!(
                        "{subscription_id}/resourceGroups/{}",
                        scope.resource_group
                    )),
                ),
                ("name", s(&scope.resource_group)),
                ("type", s("Microsoft.Resources/resourceGroups")),
                ("location", s(&scope.location)),
                ("tags", Val::empty_object()),
                (
                    "properties",
                    obj(vec![("provisioningState", s("Succeeded"))])?,
                ),
            ])?,
            "subscription" => obj(vec![
                ("id", Val::str(subscription_id)),
                ("subscriptionId", s(&scope.subscription)),
                ("tenantId", s(&scope.tenant)),
                (
                    "displayName",
                    Val::unknown("the subscription's display name is known only to Azure"),
                ),
            ])?,
            "tenant" => obj(vec![
                ("id", Val::str(format!("/tenants/{}", scope.tenant))),
                ("tenantId", s(&scope.tenant)),
            ])?,
            "deployment" => obj(vec![
                ("name", s(&scope.deployment)),
                ("location", s(&scope.location)),
                (
                    "properties",
                    obj(vec![
                        ("templateLink", obj(vec![("uri", s(&frame.link_uri))])?),
                        ("mode", s("Incremental")),
                        ("provisioningState", s("Accepted")),
                    ])?,
                ),
            ])?,
            _ => environment()?,
        };
        self.budget.charge(value.deep_cost())?;
        Ok(value)
    }

    fn reference(&mut self, frame: &mut Frame, args: &[Expr]) -> Result<Val, EvalError> {
        if args.is_empty() || args.len() > 3 {
            return Err(arity_error("reference", "one to three", args.len()));
        }
        let values = self.eval_all(frame, args)?;
        let target = match &values[0] {
            Val::Unknown(_) => return Ok(values[0].clone()),
            Val::Str(s) => s.to_string(),
            other => {
                return Err(functions::type_error(
                    "reference",
                    "a resource name or ID",
                    other,
                ));
            }
        };
        let full = values
            .get(2)
            .and_then(Val::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("full"));
        let found = match find_instance(frame, &target) {
            Some(index) => self.resource_state(frame, index)?,
            None => match self.known.get(&crate::io::azure::ids::key_of(&target)) {
                Some(value) if target.starts_with('/') => Some(value.clone()),
                _ => {
                    if target.starts_with('/') {
                        self.outside += 1;
                    }
                    return Ok(Val::unknown(format!(
                        "`reference('{target}')` is a resource outside the template, known only after deployment"
                    )));
                }
            },
        };
        let Some(resource) = found else {
            return Ok(Val::unknown(format!(
                "`reference('{target}')` is a resource the template does not deploy (its condition is false)"
            )));
        };
        if full {
            return Ok(resource);
        }
        Ok(resource
            .as_obj()
            .and_then(|o| o.get("properties"))
            .cloned()
            .unwrap_or_else(Val::empty_object))
    }

    /// A resource as `reference()` sees it: as a first pass deployed it when there was one,
    /// else as the template declares it.
    fn resource_state(
        &mut self,
        frame: &mut Frame,
        index: usize,
    ) -> Result<Option<Val>, EvalError> {
        let declared = self.instance_value(frame, index)?;
        let key = frame.instances[index]
            .id
            .as_deref()
            .map(crate::io::azure::ids::key_of);
        if declared.is_some()
            && let Some(key) = key
        {
            if let Some(value) = self.deployed_vals.get(&key) {
                return Ok(Some(value.clone()));
            }
            if let Some(json) = self.deployed.get(&key) {
                let value = Val::from_json(json)?;
                self.budget.charge(value.deep_cost())?;
                self.deployed_vals.insert(key, value.clone());
                return Ok(Some(value));
            }
        }
        Ok(declared)
    }

    fn resource_info(&mut self, frame: &mut Frame, args: &[Expr]) -> Result<Val, EvalError> {
        let target = self.name_arg(frame, "resourceInfo", args)?;
        let Some(index) = find_instance(frame, &target) else {
            return Ok(Val::unknown(format!(
                "`resourceInfo('{target}')` names no resource of the template"
            )));
        };
        let instance = &frame.instances[index];
        let text = |t: Option<&str>| {
            t.map_or_else(
                || Val::unknown("a resource name known only after deployment"),
                Val::str,
            )
        };
        let value = Val::object([
            ("id".to_string(), text(instance.id.as_deref())),
            ("name".to_string(), text(instance.name.as_deref())),
            ("type".to_string(), Val::str(instance.full_type.as_str())),
        ])?;
        self.budget.charge(value.deep_cost())?;
        Ok(value)
    }
}

/// The instance `reference()` or `resourceInfo()` names: by ID, full name or symbolic name.
pub fn find_instance(frame: &Frame, target: &str) -> Option<usize> {
    let key = if target.starts_with('/') {
        crate::io::azure::ids::key_of(target)
    } else {
        target.to_lowercase()
    };
    frame.lookup.get(&key).copied()
}

/// What `environment()` answers: the public cloud's endpoints.
fn environment() -> Result<Val, EvalError> {
    let s = |t: &str| Val::Str(Rc::from(t));
    let pairs = |members: &[(&str, &str)]| {
        Val::object(members.iter().map(|(k, v)| ((*k).to_string(), s(v))))
    };
    Val::object([
        ("name".to_string(), s("AzureCloud")),
        (
            "resourceManager".to_string(),
            s("https://management.azure.com/"),
        ),
        ("portal".to_string(), s("https://portal.azure.com")),
        (
            "authentication".to_string(),
            pairs(&[("loginEndpoint", "https://login.microsoftonline.com/")])?,
        ),
        (
            "suffixes".to_string(),
            pairs(&[
                ("storage", "core.windows.net"),
                ("keyvaultDns", ".vault.azure.net"),
                ("sqlServerHostname", ".database.windows.net"),
                ("acrLoginServer", ".azurecr.io"),
                ("azureFrontDoorEndpointSuffix", "azurefd.net"),
            ])?,
        ),
    ])
}
