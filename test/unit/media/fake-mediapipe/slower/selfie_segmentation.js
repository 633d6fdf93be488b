// Masks of 100 ms each (see ../fake-segmentation.js).
self.maskCost = 100;
importScripts('/test/unit/media/fake-mediapipe/fake-segmentation.js');
