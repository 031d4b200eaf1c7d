//! Why a value a user typed was refused: an address, a port range, a flow, a region, a subnet
//! reference or an assumption. One enum with the data, whose sentences say what to write
//! instead; the text quoted back is shortened and made safe ([`super::limits::quote`]), so a
//! megabyte of input never comes back whole. Shells show the sentence; tests match variants.

use super::address::CidrError;
use super::net::Protocol;
use std::fmt;

/// A typed value that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not `*`, a CIDR, an IP or a service tag.
    #[error(
        "invalid address `{text}`: use `*`, a CIDR (`10.0.0.0/16`), an IP or a service tag (`VirtualNetwork`)"
    )]
    Address {
        /// The text as written (shortened).
        text: String,
    },
    /// A CIDR or an IP address that does not read.
    #[error(transparent)]
    Cidr(#[from] CidrError),
    /// Not `*`, a port or a range of ports.
    #[error("invalid port range `{text}`: use `*`, a port like `443`, or a range like `1000-2000`")]
    PortRange {
        /// The text as written (shortened).
        text: String,
    },
    /// A range whose first port is above its last.
    #[error("invalid port range `{text}`: the first port is above the last")]
    PortRangeReversed {
        /// The text as written (shortened).
        text: String,
    },
    /// A flow whose protocol is not one vnetlab tests.
    #[error("invalid flow `{text}`: write `tcp/443`, `udp/53`, `icmp` or `any`")]
    FlowProtocol {
        /// The text as written (shortened).
        text: String,
    },
    /// A flow whose port is not a number from 0 to 65535.
    #[error("invalid flow `{text}`: the port must be a number from 0 to 65535")]
    FlowPort {
        /// The text as written (shortened).
        text: String,
    },
    /// A TCP or UDP flow without a port.
    #[error("invalid flow `{text}`: {protocol} needs a destination port, like `{protocol}/443`")]
    FlowNeedsPort {
        /// The text as written (shortened).
        text: String,
        /// Its protocol.
        protocol: Protocol,
    },
    /// An ICMP or any-protocol flow with a port.
    #[error("invalid flow `{text}`: {protocol} has no ports; write `{protocol}`")]
    FlowHasNoPorts {
        /// The text as written (shortened).
        text: String,
        /// Its protocol.
        protocol: Protocol,
    },
    /// A region that is not in Azure's table.
    #[error("unknown Azure region `{text}`; {}", RegionAdvice(suggestion.as_deref()))]
    Region {
        /// The text as written (shortened).
        text: String,
        /// The closest known region name, if one is close.
        suggestion: Option<String>,
    },
    /// A subnet reference not written `vnet/subnet`.
    #[error("invalid subnet reference `{text}`: write it as `vnet/subnet`, like `hub/default`")]
    SubnetRef {
        /// The text as written (shortened).
        text: String,
    },
    /// An assumption given a value it does not take.
    #[error("assumption `{key}` takes {expected}, not `{value}`")]
    AssumptionValue {
        /// The assumption.
        key: String,
        /// The value as written (shortened).
        value: String,
        /// The values it takes, in words.
        expected: &'static str,
    },
    /// An assumption vnetlab does not have.
    #[error("unknown assumption `{key}`; known: {}", super::intent::ASSUMPTION_KEYS.join(", "))]
    UnknownAssumption {
        /// The key as written (shortened).
        key: String,
    },
}

/// What to write instead of an unknown region.
struct RegionAdvice<'a>(Option<&'a str>);

impl fmt::Display for RegionAdvice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => write!(f, "did you mean `{name}`?"),
            None => f.write_str(
                "use an ARM location name such as `westeurope`, `chinanorth2` or `usgovvirginia`",
            ),
        }
    }
}

/// A user's text, shortened and made safe for a message.
pub(super) fn shown(text: &str) -> String {
    super::limits::quote(text)
}
