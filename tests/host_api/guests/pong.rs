// Messages between modules (Rust side): answers every message from "ping" with the payload
// doubled, and reads ping's shared number.
use glint_api::*;

static mut RECEIVED: i32 = 0;
static mut SHARED_SEEN: f64 = 0.0;

#[no_mangle]
pub extern "C" fn update(_dt: f32) {
    let mut buf = [0u8; 4];
    loop {
        let kind = receive_message(&mut buf);
        if kind < 0 {
            break;
        }
        let value = i32::from_le_bytes(buf) * 2;
        unsafe { RECEIVED += 1 };
        send_message("ping", 2, &value.to_le_bytes());
    }
    unsafe { SHARED_SEEN = shared_get("ping.updates") };
}

#[no_mangle]
pub extern "C" fn query_received() -> i32 {
    unsafe { RECEIVED }
}

#[no_mangle]
pub extern "C" fn query_shared_seen() -> f64 {
    unsafe { SHARED_SEEN }
}
