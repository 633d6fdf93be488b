// Masks of 10 ms each (see ../fake-segmentation.js).
self.maskCost = 10;
importScripts('/test/unit/media/fake-mediapipe/fake-segmentation.js');
