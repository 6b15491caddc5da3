"""What devices say, without the devices: spec strings, the serial reader's frames, card
numbers, scanned codes, the keyboard-wedge decoder and the traffic monitor."""
