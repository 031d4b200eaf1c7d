//! The CIDR functions `parseCidr`, `cidrSubnet` and `cidrHost`, for IPv4 and IPv6, as the ARM
//! reference describes them (MicrosoftDocs `template-functions-cidr.md`, 2024-06-20): host
//! index 0 is the first usable address (`.1`), and `parseCidr` names network, netmask,
//! broadcast (IPv4 only), first and last usable address and prefix length.

use super::{Budget, EvalError, Val, arity, int_arg, invalid, new_object, new_str, string_arg};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Calls a CIDR function; `None` when `name` is not one.
pub fn call(name: &str, args: &[Val], budget: &mut Budget) -> Option<Result<Val, EvalError>> {
    let result = match name {
        "parsecidr" => parse_cidr(args, budget),
        "cidrsubnet" => cidr_subnet(args, budget),
        "cidrhost" => cidr_host(args, budget),
        _ => return None,
    };
    Some(result)
}

fn network(function: &str, value: &Val) -> Result<IpNet, EvalError> {
    let text = string_arg(function, value)?;
    text.trim()
        .parse::<IpNet>()
        .map(|net| net.trunc())
        .map_err(|_| {
            invalid(
                function,
                format!("`{text}` is not an address range in CIDR notation"),
            )
        })
}

fn parse_cidr(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("parseCidr", args, 1, 1, "one")?;
    let net = network("parseCidr", &args[0])?;
    let s = |text: String| Val::str(text);
    let members = match net {
        IpNet::V4(v4) => {
            let (first, last) = if v4.prefix_len() >= 31 {
                (v4.network(), v4.broadcast())
            } else {
                (v4_plus(v4.network(), 1), v4_plus(v4.broadcast(), -1))
            };
            vec![
                ("network".to_string(), s(v4.network().to_string())),
                ("netmask".to_string(), s(v4.netmask().to_string())),
                ("broadcast".to_string(), s(v4.broadcast().to_string())),
                ("firstUsable".to_string(), s(first.to_string())),
                ("lastUsable".to_string(), s(last.to_string())),
                ("cidr".to_string(), Val::Int(i64::from(v4.prefix_len()))),
            ]
        }
        IpNet::V6(v6) => vec![
            ("network".to_string(), s(v6.network().to_string())),
            ("netmask".to_string(), s(v6.netmask().to_string())),
            ("firstUsable".to_string(), s(v6.network().to_string())),
            ("lastUsable".to_string(), s(v6.broadcast().to_string())),
            ("cidr".to_string(), Val::Int(i64::from(v6.prefix_len()))),
        ],
    };
    new_object(budget, members)
}

fn v4_plus(addr: Ipv4Addr, delta: i64) -> Ipv4Addr {
    let value = i64::from(u32::from(addr)) + delta;
    Ipv4Addr::from(u32::try_from(value).unwrap_or(0))
}

fn cidr_subnet(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("cidrSubnet", args, 3, 3, "three")?;
    let net = network("cidrSubnet", &args[0])?;
    let new_prefix = int_arg("cidrSubnet", &args[1])?;
    let index = int_arg("cidrSubnet", &args[2])?;
    let bits: i64 = if matches!(net, IpNet::V4(_)) { 32 } else { 128 };
    let prefix = i64::from(net.prefix_len());
    if new_prefix < prefix || new_prefix > bits {
        return Err(invalid(
            "cidrSubnet",
            format!("the new prefix length {new_prefix} must be between {prefix} and {bits}"),
        ));
    }
    let subnets = 1u128.checked_shl(u32::try_from(new_prefix - prefix).unwrap_or(128));
    let index = u128::try_from(index)
        .ok()
        .filter(|i| subnets.is_none_or(|n| *i < n));
    let Some(index) = index else {
        return Err(invalid(
            "cidrSubnet",
            format!(
                "there is no subnet number {} of /{new_prefix} in {net}",
                args[2].to_text()
            ),
        ));
    };
    let shift = u32::try_from(bits - new_prefix).unwrap_or(0);
    let offset = index.checked_shl(shift).unwrap_or(0);
    let len = u8::try_from(new_prefix).unwrap_or(0);
    let text = match net {
        IpNet::V4(v4) => {
            let base = u128::from(u32::from(v4.network()));
            let addr = Ipv4Addr::from(u32::try_from(base + offset).unwrap_or(0));
            Ipv4Net::new(addr, len).map(|n| n.to_string())
        }
        IpNet::V6(v6) => {
            let addr = Ipv6Addr::from(u128::from(v6.network()) + offset);
            Ipv6Net::new(addr, len).map(|n| n.to_string())
        }
    };
    new_str(
        budget,
        text.map_err(|e| invalid("cidrSubnet", e.to_string()))?,
    )
}

fn cidr_host(args: &[Val], budget: &mut Budget) -> Result<Val, EvalError> {
    arity("cidrHost", args, 2, 2, "two")?;
    let net = network("cidrHost", &args[0])?;
    let index = int_arg("cidrHost", &args[1])?;
    let out_of_range = || {
        invalid(
            "cidrHost",
            format!("there is no usable host number {index} in {net}"),
        )
    };
    let index = u128::try_from(index).map_err(|_| out_of_range())?;
    let text = match net {
        IpNet::V4(v4) => {
            let first = u128::from(u32::from(v4.network())) + 1;
            let last = u128::from(u32::from(v4.broadcast())).saturating_sub(1);
            let host = first + index;
            if host > last {
                return Err(out_of_range());
            }
            Ipv4Addr::from(u32::try_from(host).map_err(|_| out_of_range())?).to_string()
        }
        IpNet::V6(v6) => {
            let host = u128::from(v6.network())
                .checked_add(1)
                .and_then(|h| h.checked_add(index))
                .filter(|h| *h <= u128::from(v6.broadcast()))
                .ok_or_else(out_of_range)?;
            Ipv6Addr::from(host).to_string()
        }
    };
    new_str(budget, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(name: &str, args: Vec<Val>) -> Result<Val, EvalError> {
        call(name, &args, &mut Budget::default()).unwrap()
    }

    fn json_of(value: Val) -> serde_json::Value {
        value.to_json(&mut String::new(), &mut |_, _| {})
    }

    /// The examples of the ARM reference, `template-functions-cidr.md`.
    #[test]
    fn the_documented_examples_hold() {
        assert_eq!(
            json_of(run("parsecidr", vec![Val::str("10.144.0.0/20")]).unwrap()),
            json!({"network": "10.144.0.0", "netmask": "255.255.240.0", "broadcast": "10.144.15.255",
                   "firstUsable": "10.144.0.1", "lastUsable": "10.144.15.254", "cidr": 20})
        );
        assert_eq!(
            json_of(run("parsecidr", vec![Val::str("fdad:3236:5555::/48")]).unwrap()),
            json!({"network": "fdad:3236:5555::", "netmask": "ffff:ffff:ffff::", "firstUsable": "fdad:3236:5555::",
                   "lastUsable": "fdad:3236:5555:ffff:ffff:ffff:ffff:ffff", "cidr": 48})
        );
        let subnets: Vec<serde_json::Value> = (0..5)
            .map(|i| {
                json_of(
                    run(
                        "cidrsubnet",
                        vec![Val::str("10.144.0.0/20"), Val::Int(24), Val::Int(i)],
                    )
                    .unwrap(),
                )
            })
            .collect();
        assert_eq!(
            subnets,
            [
                "10.144.0.0/24",
                "10.144.1.0/24",
                "10.144.2.0/24",
                "10.144.3.0/24",
                "10.144.4.0/24"
            ]
        );
        assert_eq!(
            json_of(
                run(
                    "cidrsubnet",
                    vec![Val::str("fdad:3236:5555::/48"), Val::Int(52), Val::Int(1)]
                )
                .unwrap()
            ),
            json!("fdad:3236:5555:1000::/52")
        );
        let hosts: Vec<serde_json::Value> = (0..5)
            .map(|i| {
                json_of(run("cidrhost", vec![Val::str("10.144.3.0/24"), Val::Int(i)]).unwrap())
            })
            .collect();
        assert_eq!(
            hosts,
            [
                "10.144.3.1",
                "10.144.3.2",
                "10.144.3.3",
                "10.144.3.4",
                "10.144.3.5"
            ]
        );
        assert_eq!(
            json_of(
                run(
                    "cidrhost",
                    vec![Val::str("fdad:3236:5555:3000::/52"), Val::Int(0)]
                )
                .unwrap()
            ),
            json!("fdad:3236:5555:3000::1")
        );
    }

    #[test]
    fn out_of_range_requests_are_errors() {
        assert!(
            run(
                "cidrsubnet",
                vec![Val::str("10.0.0.0/16"), Val::Int(8), Val::Int(0)]
            )
            .is_err()
        );
        assert!(
            run(
                "cidrsubnet",
                vec![Val::str("10.0.0.0/16"), Val::Int(24), Val::Int(256)]
            )
            .is_err()
        );
        assert!(
            run(
                "cidrsubnet",
                vec![Val::str("::/0"), Val::Int(128), Val::Int(i64::MAX)]
            )
            .is_ok()
        );
        assert!(run("cidrhost", vec![Val::str("10.0.0.0/24"), Val::Int(254)]).is_err());
        assert!(run("cidrhost", vec![Val::str("10.0.0.0/24"), Val::Int(-1)]).is_err());
        assert!(run("parsecidr", vec![Val::str("10.0.0.0")]).is_err());
    }
}
