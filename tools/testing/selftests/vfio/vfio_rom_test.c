// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ROM region (VFIO_PCI_ROM_REGION_INDEX) of a device with an option
 * ROM and of one without.  The VM harness gives VFIO_E1000_1 an 8 KiB ROM
 * BAR holding a 4 KiB image that it generates (tools/testing/vm/run,
 * make_rom()): 0x55aa, a PCI data structure with the e1000's IDs and an
 * image length of 8 x 512 bytes, bytes 0x40 to 0xfff equal to the low
 * byte of their offset, and 'Z' after the image.  VFIO_E1000_0 has none.
 *
 * As 6.1: the region is as large as the ROM BAR, read-only, not
 * mmappable; reads past the image (the kernel's pci_map_rom() size) give
 * 0xff; the ROM BAR in config space sizes to the BAR's size.  Without a
 * ROM the region has size 0 and the BAR reads 0.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define ROM_BAR_SIZE	8192
/* the ROM line of sysfs "resource" */
#define SYSFS_ROM_BAR	6
#define ROM_IMAGE_SIZE	4096
#define E1000_VENDOR	0x8086
#define E1000_DEVICE	0x100e

static const char *rom_dev, *norom_dev;

FIXTURE(rom)
{
	struct vfio_dev d;
	struct vfio_region_info ri;
	uint8_t buf[ROM_BAR_SIZE];
};

FIXTURE_SETUP(rom)
{
	vfio_dev_init(&self->d, rom_dev);
	ASSERT_EQ(0, vfio_dev_open(&self->d, rom_dev, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_region_info(self->d.device,
				      VFIO_PCI_ROM_REGION_INDEX, &self->ri));
}

FIXTURE_TEARDOWN(rom)
{
	vfio_dev_close(&self->d);
}

/* Region info: the BAR's size, as sysfs has it; readable only. */
TEST_F(rom, info)
{
	EXPECT_EQ((uint64_t)ROM_BAR_SIZE, self->ri.size);
	EXPECT_EQ(pci_bar_size(rom_dev, SYSFS_ROM_BAR),
		  (long long)self->ri.size);
	EXPECT_EQ((uint32_t)VFIO_REGION_INFO_FLAG_READ, self->ri.flags);
}

/* The image as generated; 0xff past it, to the end of the BAR. */
TEST_F(rom, read)
{
	const uint8_t *b = self->buf;
	unsigned int i, bad = 0;
	uint16_t pcir;

	ASSERT_EQ(ROM_BAR_SIZE, self->ri.size);
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->ri, 0, self->buf,
				      ROM_BAR_SIZE));
	EXPECT_EQ(0x55, b[0]);
	EXPECT_EQ(0xaa, b[1]);
	pcir = b[0x18] | b[0x19] << 8;
	ASSERT_EQ(0x1c, pcir);
	EXPECT_EQ(0, memcmp(b + pcir, "PCIR", 4));
	EXPECT_EQ(E1000_VENDOR, b[pcir + 4] | b[pcir + 5] << 8);
	EXPECT_EQ(E1000_DEVICE, b[pcir + 6] | b[pcir + 7] << 8);
	EXPECT_EQ(ROM_IMAGE_SIZE / 512, b[pcir + 0x10] | b[pcir + 0x11] << 8);
	for (i = 0x40; i < ROM_IMAGE_SIZE; i++)
		bad += b[i] != (i & 0xff);
	EXPECT_EQ(0U, bad);
	bad = 0;
	for (i = ROM_IMAGE_SIZE; i < ROM_BAR_SIZE; i++)
		bad += b[i] != 0xff;
	EXPECT_EQ(0U, bad);

	/* small reads at an offset give the same bytes */
	memset(self->buf, 0, 16);
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->ri, 0x123,
				      self->buf, 3));
	EXPECT_EQ(0x23, b[0]);
	EXPECT_EQ(0x25, b[2]);
}

/* Read-only, not mmappable, nothing past the BAR. */
TEST_F(rom, errors)
{
	uint64_t end = self->ri.offset + self->ri.size;
	void *p;

	EXPECT_EQ(-EINVAL, vfio_region_write(self->d.device, &self->ri, 0x40,
					     self->buf, 4));
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->ri,
					    self->ri.size, self->buf, 4));
	/* a read across the end stops at it */
	EXPECT_EQ(2, pread(self->d.device, self->buf, 4, (off_t)end - 2));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
		 (off_t)self->ri.offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* the write changed nothing */
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->ri, 0x40,
				      self->buf, 4));
	EXPECT_EQ(0x40, self->buf[0]);
	EXPECT_EQ(0x43, self->buf[3]);
}

/* Config space at PCI_ROM_ADDRESS: dword read/write, 0 or -errno. */
static int rom_bar(struct vfio_dev *d, uint32_t *val, bool write)
{
	if (write)
		return vfio_region_write(d->device, &d->config,
					 PCI_ROM_ADDRESS, val, 4);
	return vfio_region_read(d->device, &d->config, PCI_ROM_ADDRESS, val,
				4);
}

/* The ROM BAR sizes to the region's size; the enable bit stays. */
TEST_F(rom, config_sizing)
{
	uint32_t orig, v;

	ASSERT_EQ(0, rom_bar(&self->d, &orig, false));
	v = PCI_ROM_ADDRESS_MASK;
	ASSERT_EQ(0, rom_bar(&self->d, &v, true));
	ASSERT_EQ(0, rom_bar(&self->d, &v, false));
	EXPECT_EQ((uint32_t)~(ROM_BAR_SIZE - 1), v);
	v = ~0U;
	ASSERT_EQ(0, rom_bar(&self->d, &v, true));
	ASSERT_EQ(0, rom_bar(&self->d, &v, false));
	EXPECT_EQ((uint32_t)~(ROM_BAR_SIZE - 1) | PCI_ROM_ADDRESS_ENABLE, v);
	ASSERT_EQ(0, rom_bar(&self->d, &orig, true));
	ASSERT_EQ(0, rom_bar(&self->d, &v, false));
	EXPECT_EQ(orig, v);
	/* and the ROM still reads after the sizing */
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->ri, 0,
				      self->buf, 2));
	EXPECT_EQ(0x55, self->buf[0]);
	EXPECT_EQ(0xaa, self->buf[1]);
}

/* A device without a ROM: size 0, no flags, nothing to read or size. */
TEST(no_rom)
{
	struct vfio_region_info ri;
	struct vfio_dev d;
	uint32_t v = ~0U;
	uint8_t b[4];

	vfio_dev_init(&d, norom_dev);
	ASSERT_EQ(0, vfio_dev_open(&d, norom_dev, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_region_info(d.device, VFIO_PCI_ROM_REGION_INDEX,
				      &ri));
	EXPECT_EQ(0ULL, ri.size);
	EXPECT_EQ(0U, ri.flags);
	EXPECT_EQ(0, pci_bar_size(norom_dev, SYSFS_ROM_BAR));
	EXPECT_EQ(-EINVAL, pread(d.device, b, 4, (off_t)ri.offset) < 0 ?
		  -errno : 0);
	ASSERT_EQ(0, rom_bar(&d, &v, true));
	ASSERT_EQ(0, rom_bar(&d, &v, false));
	EXPECT_EQ(0U, v);
	vfio_dev_close(&d);
}

int main(int argc, char **argv)
{
	rom_dev = vfio_test_env("VFIO_E1000_1");
	norom_dev = vfio_test_env("VFIO_E1000_0");
	if (!rom_dev || !norom_dev || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_E1000_1, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
